import { normalizeSpec } from '../../src/spec/normalize.js';
import type { PracticeId, Spec } from '../../src/spec/types.js';
import { computeTree } from '../../src/tree/compute.js';

/** A normalized spec from the smallest devops.yaml-shaped object; services default to one Node API. */
export function makeSpec(raw: Record<string, unknown> = {}): Spec {
  return normalizeSpec({
    version: 1,
    project: { name: 'shop', repository: 'acme/shop' },
    practices: ['ci'],
    services: [{ name: 'api', path: '.', language: 'node', packageManager: 'npm', commands: { lint: 'npm run lint', test: 'npm test', build: 'npm run build' } }],
    ...raw,
  });
}

/** Render the given practices (default: the spec's own) to `{path: content}`. */
export function renderRecord(spec: Spec, practices?: PracticeId[]): Record<string, string> {
  return computeTree(practices ? { ...spec, practices } : spec).toRecord();
}
