import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** What a careful read of a repo-relative path found. */
export type ReadResult =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer; mode: number }
  | { kind: 'refused'; reason: string };

/** Generated files and team inputs are small; anything bigger than this is not read. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** Plain words for the errors a read can meet. */
export function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'the file system is read-only';
    case 'ENAMETOOLONG': return 'the name is too long for the file system';
    case 'EISDIR': return 'it is a folder';
    case 'ENOTDIR': return 'a file stands where a folder is needed';
    case 'ELOOP': return 'it is a symbolic link';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    case 'EIO': return 'an input/output error';
    default: return (e as Error)?.message ?? String(e);
  }
}

/**
 * Read `rel` under `root` as raw bytes, only when it is a regular file reached without
 * following a symbolic link, and at most `maxBytes` long. Never blocks: a FIFO or a device
 * is refused, not opened for a blocking read; a link to /dev/zero is a link, refused.
 * `dirs` (optional, for one pass over many paths) remembers folders already seen to be real
 * folders, so each is lstat'ed once per pass, and (as `!folder`) folders seen to be missing, so
 * every path under a missing folder is missing without another lstat. `scratch` (optional, for read-only passes that use the bytes at once, such as
 * check hashing thousands of files): a file that fits is read into it and the result is a view
 * of it, valid until the next read with the same scratch (no allocation, no garbage per file).
 */
export function readRegular(root: string, rel: string, maxBytes = MAX_FILE_BYTES, dirs?: Set<string>, scratch?: Buffer): ReadResult {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = join(cur, parts[i]!);
    if (dirs?.has(cur)) continue;
    if (dirs?.has('!' + cur)) return { kind: 'missing' };
    let st;
    try {
      st = lstatSync(cur, { throwIfNoEntry: false });
    } catch (e) {
      return { kind: 'refused', reason: `${parts.slice(0, i + 1).join('/')} cannot be read: ${errnoWords(e)}` };
    }
    if (!st) {
      dirs?.add('!' + cur);
      return { kind: 'missing' };
    }
    const shown = parts.slice(0, i + 1).join('/');
    if (st.isSymbolicLink()) return { kind: 'refused', reason: `${shown} is a symbolic link; devops-init never reads or writes through links` };
    if (!st.isDirectory()) return { kind: 'refused', reason: `${shown} is a file, but a folder is needed there` };
    dirs?.add(cur);
  }
  const abs = join(cur, parts[parts.length - 1]!);
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'refused', reason: `${rel} is a symbolic link; devops-init never reads or writes through links` };
    if (code === 'ENOTDIR') return { kind: 'refused', reason: `${rel}: a file stands where a folder is needed` };
    return { kind: 'refused', reason: `${rel} cannot be read: ${errnoWords(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a device';
      return { kind: 'refused', reason: `${rel} is ${what}, not a regular file` };
    }
    if (st.size > maxBytes) return { kind: 'refused', reason: `${rel} is ${mib(st.size)}; devops-init reads at most ${mib(maxBytes)}` };
    // Read what is there now (the size may change under us), never more than the cap.
    const want = Math.min(st.size + 1, maxBytes + 1);
    const buf = scratch && want <= scratch.length ? scratch.subarray(0, want) : Buffer.allocUnsafe(want);
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) return { kind: 'refused', reason: `${rel} is over ${mib(maxBytes)}; devops-init reads at most that` };
    if (n === buf.length) {
      // The file grew past its stat size while we read: take the rest, within the cap.
      const more: Buffer[] = [buf];
      const chunk = Buffer.allocUnsafe(64 * 1024);
      for (;;) {
        const got = readSync(fd, chunk, 0, chunk.length, null);
        if (got === 0) break;
        n += got;
        if (n > maxBytes) return { kind: 'refused', reason: `${rel} is over ${mib(maxBytes)}; devops-init reads at most that` };
        more.push(Buffer.from(chunk.subarray(0, got)));
      }
      return { kind: 'file', bytes: Buffer.concat(more, n), mode: st.mode & 0o7777 };
    }
    return { kind: 'file', bytes: buf.subarray(0, n), mode: st.mode & 0o7777 };
  } catch (e) {
    return { kind: 'refused', reason: `${rel} cannot be read: ${errnoWords(e)}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * What is at `rel` under `root` by lstat alone (nothing is opened or read): `file` only for a
 * regular file reached through real folders, with its stat; `missing` when it
 * or a folder on the way is not there; `other` for anything readRegular would refuse or could
 * not stat. `dirs` as for readRegular.
 */
export function lstatRegular(root: string, rel: string, dirs?: Set<string>): { kind: 'file'; st: Stats } | { kind: 'missing' } | { kind: 'other' } {
  // `rel` is a checked repo-relative path (tree/paths.ts): plain concatenation gives what
  // path.join would, at a fraction of its cost over thousands of files.
  const parts = rel.split('/');
  let cur = root;
  const sep = root.endsWith('/') ? '' : '/';
  try {
    for (let i = 0; i < parts.length - 1; i++) {
      cur = i === 0 ? root + sep + parts[0]! : cur + '/' + parts[i]!;
      if (dirs?.has(cur)) continue;
      const st = lstatSync(cur, { throwIfNoEntry: false });
      if (!st) return { kind: 'missing' };
      if (st.isSymbolicLink() || !st.isDirectory()) return { kind: 'other' };
      dirs?.add(cur);
    }
    const st = lstatSync(parts.length === 1 ? root + sep + rel : cur + '/' + parts[parts.length - 1]!, { throwIfNoEntry: false });
    if (!st) return { kind: 'missing' };
    return st.isFile() ? { kind: 'file', st } : { kind: 'other' };
  } catch {
    return { kind: 'other' };
  }
}

