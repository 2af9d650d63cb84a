import type { DependencyUpdates } from '../../model/types.js';
import { dependencyDir, folderOf } from '../../model/service.js';
import type { Spec } from '../../spec/types.js';

/**
 * What dependency updates watch: each service's package manager where its lockfile lives (a
 * workspace has one, at its root), the folder of each Dockerfile (base images), and the CI
 * provider's own actions.
 */
export function dependencyUpdates(spec: Spec): DependencyUpdates {
  return {
    owner: 'ci',
    tool: spec.ci.dependencyUpdates,
    entries: [
      ...spec.services.map((svc) => ({ manager: svc.packageManager, dir: dependencyDir(svc) })),
      ...spec.services.map((svc) => ({ manager: 'docker' as const, dir: folderOf(svc.dockerfile) })),
      { manager: 'ci' as const, dir: '.' },
    ],
  };
}
