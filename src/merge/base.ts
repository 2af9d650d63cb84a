import { hashContent } from '../lock/hash.js';
import type { Lock } from '../lock/lock.js';
import { normalizeSpec } from '../spec/normalize.js';
import { computeTree } from '../tree/compute.js';
import { VERSION } from '../version.js';
import { findInHistory } from './git.js';

/**
 * Recovers the last render of a file, the base of sync's three-way merge, in this order:
 * 1. re-render the devops.yaml snapshot kept in the lock (exact while the tool version
 *    is the one that wrote the lock — the usual case, and it works in a fresh clone
 *    because the lock is committed);
 * 2. a committed version in git history with the recorded hash (after a tool upgrade);
 * otherwise undefined, and sync reports a whole-file conflict.
 * Every candidate is verified against the lock's hash, so a wrong base is never used.
 */
export function baseFinder(root: string, lock: Lock | undefined): (path: string, hash: string) => Promise<string | undefined> {
  let snapshot: Map<string, string> | undefined;
  const fromSnapshot = (path: string): string | undefined => {
    if (!lock || lock.tool !== VERSION || !lock.spec || Object.keys(lock.spec).length === 0) return undefined;
    if (!snapshot) {
      snapshot = new Map();
      try {
        const tree = computeTree(normalizeSpec(lock.spec as Record<string, unknown>));
        for (const p of tree.paths()) snapshot.set(p, tree.get(p)!.content);
      } catch {
        /* a snapshot the current schema cannot render: fall through to git */
      }
    }
    return snapshot.get(path);
  };
  return async (path, hash) => {
    const rendered = fromSnapshot(path);
    if (rendered !== undefined && hashContent(rendered) === hash) return rendered;
    return findInHistory(root, path, hash);
  };
}
