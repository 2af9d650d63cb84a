import { describe, expect, it } from 'vitest';
import { PRACTICES } from '../../src/practices/index.js';
import { PRACTICE_REQUIRES } from '../../src/spec/practice-deps.js';

// Found by the spec fuzzer (test/faults/slow-fuzz-spec.test.ts): a devops.yaml with gitops but
// without ci passed validation and crashed the render (gitops reads the image ci contributes),
// because this table had drifted from the practices' `requires`.
describe('practice dependencies used by spec validation', () => {
  it('are exactly the practices\' own `requires`', () => {
    for (const p of PRACTICES) expect([...(PRACTICE_REQUIRES[p.id] ?? [])].sort(), p.id).toEqual([...p.requires].sort());
  });
});
