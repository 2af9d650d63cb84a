import { hashContent } from '../lock/hash.js';
import type { Lock } from '../lock/lock.js';
import { snapshotTree } from '../lock/snapshot.js';
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
export function baseFinder(root: string, lock: Lock | undefined): (path: string, hash: string) => Promise<string | Buffer | undefined> {
  return async (path, hash) => {
    const rendered = lock?.tool === VERSION ? snapshotTree(lock)?.get(path)?.content : undefined;
    if (rendered !== undefined && hashContent(rendered) === hash) return rendered;
    return findInHistory(root, path, hash);
  };
}
