import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeRepoTree } from '../../src/tree/repo.js';
import { newSpecText, SCHEMA_FILE } from '../../src/spec/write.js';
import { makeSpec } from '../helpers/spec.js';

/** Issue 9 #2: the JSON Schema reference in devops.yaml works offline, from a file devops-init keeps in the repository. */
describe('devops.yaml schema shipped under .devops-init/', () => {
  const tree = computeRepoTree(makeSpec());

  it('is a managed core file with the same schema as schema/devops.schema.json', () => {
    const file = tree.get(SCHEMA_FILE)!;
    expect(file).toMatchObject({ ownership: 'managed', practice: 'core' });
    expect(JSON.parse(file.content)).toEqual(JSON.parse(readFileSync(new URL('../../schema/devops.schema.json', import.meta.url), 'utf8')));
  });

  it('devops.yaml points at it by a relative path, not a CDN URL', () => {
    const first = newSpecText({ version: 1 }).split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m?.[1]).toBe(`./${SCHEMA_FILE}`);
    expect(first).not.toMatch(/https?:/);
    // Relative to devops.yaml at the root, the pointer names a file the tree writes.
    expect(tree.get(m![1]!.replace(/^\.\//, ''))).toBeDefined();
  });
});
