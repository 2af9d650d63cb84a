import { describe, expect, it } from 'vitest';
import { renderRecord } from '../../helpers/spec.js';
import { collectorStructureProblems } from './collector-structure.js';
import { monorepoSpec, nodeSpec } from './fixtures.js';

describe('observability and logging inside the whole tree', () => {
  it('render beside every other practice without path conflicts (one platform project)', () => {
    for (const spec of [nodeSpec(), monorepoSpec()]) {
      const rec = renderRecord(spec);
      expect(Object.keys(rec).filter((p) => p.endsWith('platform-project.yaml'))).toEqual(['deploy/argocd/platform-project.yaml']);
      expect(collectorStructureProblems(rec['observability/collector/config.yaml']!)).toEqual([]);
      expect(rec['logging/fluent-bit/fluent-bit.yaml']).toBeDefined();
    }
  });
});
