import { readRegular } from './read.js';

/** What is on disk at a repo-relative path, without ever following a symlink. */
export type DiskState =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer; mode: number; executable: boolean }
  | { kind: 'blocked'; reason: string };

/**
 * Inspect `rel` under `root`. Every segment is lstat'ed: a symlink anywhere on the way, a
 * file where a folder should be, or anything but a regular file at the end (FIFO, device,
 * folder, unreadable) makes the path `blocked` — never read or written through — so a link
 * pointing outside the repository cannot be followed. The file comes back as raw bytes.
 * `dirs` (optional, for read-only passes such as check) remembers folders already seen to
 * be real folders, so each is lstat'ed once per run. `scratch`: see readRegular (the bytes are
 * a view valid until the next inspect with it).
 */
export function inspect(root: string, rel: string, dirs?: Set<string>, scratch?: Buffer): DiskState {
  const r = readRegular(root, rel, undefined, dirs, scratch);
  if (r.kind === 'missing') return r;
  if (r.kind === 'refused') return { kind: 'blocked', reason: r.reason };
  return { kind: 'file', bytes: r.bytes, mode: r.mode, executable: (r.mode & 0o111) !== 0 };
}
