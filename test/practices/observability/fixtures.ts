import type { Spec } from '../../../src/spec/types.js';
import { makeSpec } from '../../helpers/spec.js';

/** One Node service at the repository root, with GitOps. */
export function nodeSpec(extra: Record<string, unknown> = {}): Spec {
  return makeSpec({ practices: ['ci', 'gitops', 'observability', 'monitoring', 'logging'], ...extra });
}

/** A monorepo: Node, Go and Python services, with GitOps. */
export function monorepoSpec(extra: Record<string, unknown> = {}): Spec {
  return makeSpec({
    project: { name: 'shop', repository: 'acme/shop' },
    practices: ['ci', 'gitops', 'observability', 'monitoring', 'logging'],
    services: [
      { name: 'web', path: 'apps/web', language: 'node', packageManager: 'pnpm' },
      { name: 'orders', path: 'services/orders', language: 'go' },
      { name: 'recommender', path: 'services/recommender', language: 'python', packageManager: 'uv' },
    ],
    ...extra,
  });
}
