import { validateRaw } from '../spec/load.js';
import { computeRepoTree } from '../tree/repo.js';
import type { Tree } from '../tree/tree.js';
import { lockHashes, type Lock } from './lock.js';

const cache = new WeakMap<Lock, Tree | null>();

/**
 * The lock's snapshot of devops.yaml rendered by this devops-init (without template
 * overrides), or undefined when there is no snapshot or it does not render. The snapshot is
 * untrusted input: it goes through the same validation as devops.yaml before it is rendered.
 * Used for the merge base (exact while the lock's tool version is this one) and to confirm
 * that a file the lock lists is one devops-init could have generated before deleting it (this
 * version, or an earlier one whose output shape this version retired: Model.retiredPaths).
 */
export function snapshotTree(lock: Lock | undefined): Tree | undefined {
  if (!lock || Object.keys(lock.spec).length === 0) return undefined;
  if (!cache.has(lock)) {
    let tree: Tree | null = null;
    try {
      const checked = validateRaw(lock.spec);
      if ('spec' in checked) tree = computeRepoTree(checked.spec, undefined, lockHashes(lock));
    } catch {
      tree = null; // a snapshot this version cannot render
    }
    cache.set(lock, tree);
  }
  return cache.get(lock) ?? undefined;
}

/**
 * Whether devops-init could have generated `path` for the spec recorded in `lock`: the
 * snapshot's render (by this version) manages it. What sync asks before deleting an orphan
 * the lock lists: a lock edited to list package.json never gets package.json deleted.
 */
export function couldHaveGenerated(lock: Lock | undefined): (path: string) => boolean {
  return (path) => {
    const snapshot = snapshotTree(lock);
    return snapshot?.get(path)?.ownership === 'managed' || (snapshot?.retired.has(path) ?? false);
  };
}
