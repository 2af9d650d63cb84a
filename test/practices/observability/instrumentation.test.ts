import { describe, expect, it } from 'vitest';
import { computeModel } from '../../../src/tree/compute.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';

/**
 * Issue 9, item 13: a service whose OpenTelemetry is not wired by zero-code means (Go) exports
 * nothing until its code changes, yet gets SLO rules and rollout analysis: sync must say so, and
 * what to add.
 */

const warnings = (practices: string[], services: Record<string, unknown>[]) =>
  computeModel(makeSpec({ practices: practices as never, services })).warnings.filter((w) => w.owner === 'observability').map((w) => w.text);

describe('observability: services without zero-code instrumentation are named', () => {
  const go = { name: 'inventory', path: 'services/inventory', language: 'go', packageManager: 'go', deploy: { strategy: 'canary' } };
  const node = { name: 'web', path: 'apps/web', language: 'node' };

  it('warns for a Go service, names what reads its metrics, and says what to add', () => {
    const w = warnings(['gitops', 'deploy', 'observability', 'monitoring'], [node, go]);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^inventory \(go\): no zero-code OpenTelemetry/);
    expect(w[0]).toMatch(/SLO rules have no series to read/);
    expect(w[0]).toMatch(/rollout analysis finds no requests/);
    expect(w[0]).toMatch(/otelhttp\.NewHandler/);
    expect(w[0]).not.toMatch(/\bweb\b/);
  });

  it('names only the consequences of the practices that are on', () => {
    const w = warnings(['gitops', 'observability'], [{ ...go, deploy: { strategy: 'rolling' } }]);
    expect(w).toHaveLength(1);
    expect(w[0]).not.toMatch(/SLO rules|rollout analysis/);
  });

  it('Node, Python and Java (wired by the seeded image) get no warning', () => {
    expect(warnings(['gitops', 'observability', 'monitoring'], [node, { name: 'py', path: 'py', language: 'python' }, { name: 'jv', path: 'jv', language: 'java' }])).toEqual([]);
  });

  it('the docs say Go needs code before the per-language steps', () => {
    const doc = renderRecord(makeSpec({ practices: ['observability'], services: [go] }))['docs/observability.md']!;
    expect(doc).toMatch(/Go has no\s+zero-code option here: a Go service exports nothing until its code sets up the SDK/);
  });
});
