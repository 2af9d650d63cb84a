import { PRACTICES } from '../../src/practices/index.js';
import { normalizeSpec } from '../../src/spec/normalize.js';
import type { PracticeId, Spec } from '../../src/spec/types.js';
import { computeTree } from '../../src/tree/compute.js';
import type { TreeFile } from '../../src/tree/tree.js';

/**
 * A normalized spec from the smallest devops.yaml-shaped object; services default to one Node
 * API. Like `init` and `add`, it enables the practices the listed ones require (gitops needs ci).
 */
export function makeSpec(raw: Record<string, unknown> = {}): Spec {
  const spec = normalizeSpec({
    version: 1,
    project: { name: 'shop', repository: 'acme/shop' },
    practices: ['ci'],
    services: [{ name: 'api', path: '.', language: 'node', packageManager: 'npm', commands: { lint: 'npm run lint', test: 'npm test', build: 'npm run build' } }],
    ...raw,
  });
  return { ...spec, practices: withRequired(spec.practices) };
}

function withRequired(ids: PracticeId[]): PracticeId[] {
  const set = new Set(ids);
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of PRACTICES) if (set.has(p.id)) for (const r of p.config.requires) if (!set.has(r)) changed = set.add(r) !== undefined;
  }
  return PRACTICES.map((p) => p.id).filter((id) => set.has(id));
}

/** Render the given practices (default: the spec's own) to `{path: content}`. */
export function renderRecord(spec: Spec, practices?: PracticeId[]): Record<string, string> {
  return computeTree(practices ? { ...spec, practices: withRequired(practices) } : spec).toRecord();
}

/** The rendered files one practice contributes to the full render of `spec`, as `{path: content}`. */
export function practiceRecord(spec: Spec, practice: PracticeId): Record<string, string> {
  const tree = computeTree(spec);
  const out: Record<string, string> = {};
  for (const p of tree.paths()) {
    const f = tree.get(p)!;
    if (f.practice === practice) out[p] = f.content;
  }
  return out;
}

/** The rendered files of the full render of `spec` with their owners and ownership. */
export function renderedFiles(spec: Spec): TreeFile[] {
  const tree = computeTree(spec);
  return tree.paths().map((p) => tree.get(p)!);
}
