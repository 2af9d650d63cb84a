import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What is on disk at a repo-relative path, without ever following a symlink. */
export type DiskState =
  | { kind: 'missing' }
  | { kind: 'file'; content: string; executable: boolean }
  | { kind: 'blocked'; reason: string };

/**
 * Inspect `rel` under `root`. `dirs` (optional, for read-only passes such as check) remembers
 * folders already seen to be real folders, so each is lstat'ed once per run. Every segment is lstat'ed: a symlink anywhere on the way,
 * or a file where a folder should be, makes the path `blocked` (never read or written
 * through), so a link pointing outside the repository cannot be followed.
 */
export function inspect(root: string, rel: string, dirs?: Set<string>): DiskState {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]!);
    const last = i === parts.length - 1;
    if (!last && dirs?.has(cur)) continue;
    const st = lstatSync(cur, { throwIfNoEntry: false });
    if (!st) return { kind: 'missing' };
    const shown = parts.slice(0, i + 1).join('/');
    if (st.isSymbolicLink()) return { kind: 'blocked', reason: `${shown} is a symbolic link; devops-init never writes through links` };
    if (!last && !st.isDirectory()) return { kind: 'blocked', reason: `${shown} is a file, but a folder is needed there` };
    if (!last) dirs?.add(cur);
    if (last) {
      if (!st.isFile()) return { kind: 'blocked', reason: `${shown} is not a regular file` };
      return { kind: 'file', content: readFileSync(cur, 'utf8'), executable: (st.mode & 0o111) !== 0 };
    }
  }
  return { kind: 'missing' };
}
