import { describe, expect, it } from 'vitest';
import { typecheckDashboards } from './grafana.js';

const GOOD = {
  uid: 'x',
  title: 'x',
  schemaVersion: 39,
  panels: [
    {
      id: 1,
      type: 'stat',
      title: 'x',
      gridPos: { h: 4, w: 6, x: 0, y: 0 },
      fieldConfig: { defaults: { unit: 'percent', thresholds: { mode: 'absolute', steps: [{ value: null, color: 'red' }] } }, overrides: [] },
    },
  ],
};

describe('grafana dashboard type-check (@grafana/schema + TypeScript)', () => {
  it('accepts a valid dashboard and rejects broken ones in the same batch (broken on purpose)', () => {
    const problems = typecheckDashboards([
      { name: 'good', json: GOOD },
      { name: 'bad-version', json: { ...GOOD, schemaVersion: '39' } },
      { name: 'unknown-key', json: { ...GOOD, refreshEvery: '1m' } },
      { name: 'bad-threshold-mode', json: { ...GOOD, panels: [{ ...GOOD.panels[0], fieldConfig: { defaults: { thresholds: { mode: 'relative', steps: [] } }, overrides: [] } }] } },
    ]);
    expect(problems.filter((p) => p.startsWith('good:'))).toEqual([]);
    expect(problems.some((p) => p.startsWith('bad-version:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('unknown-key:') && p.includes('refreshEvery'))).toBe(true);
    expect(problems.some((p) => p.startsWith('bad-threshold-mode:'))).toBe(true);
  });
});
