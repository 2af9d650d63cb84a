/**
 * The only way detection touches the disk: synchronous, read-only, capped.
 * - Directory symlinks are never followed (a symlink loop cannot trap the walk).
 * - File symlinks are read only when they resolve to a regular file inside the repository.
 * - Reads stop at 256 KiB: a manifest bigger than that is not worth the time.
 */
import { closeSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';

export const MAX_READ_BYTES = 256 * 1024;
export const MAX_WALK_DEPTH = 4;
/** Stop walking after this many folders; a repo that big still gets its top levels scanned. */
const MAX_WALK_DIRS = 20_000;

/** Folders that never hold a deployable's own sources. Dot-folders are skipped too. */
export const IGNORED_DIRS = new Set(['node_modules', 'vendor', 'dist', 'build', 'target', 'venv', '__pycache__']);

export interface Listing {
  /** Names of regular files and symlinks (symlinks are checked again on read). */
  files: Set<string>;
  /** Names of real sub-folders worth walking: no symlinks, no ignored or dot-folders. */
  dirs: string[];
}

/** Join repo-relative POSIX paths, treating '.' as the root. */
export function joinRel(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

/** "apps/web: " for notes about a folder; nothing for the root. */
export function at(dir: string): string {
  return dir === '.' || dir === '' ? '' : `${dir}: `;
}

export class RepoFs {
  private readonly listings = new Map<string, Listing | null>();
  private readonly texts = new Map<string, string | undefined>();
  private realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = safeRealpath(root) ?? root;
  }

  private abs(rel: string): string {
    return rel === '.' ? this.root : join(this.root, ...rel.split('/'));
  }

  /** Entries of a repo-relative folder; null if it is missing, unreadable or a symlink. */
  list(rel: string): Listing | null {
    if (this.listings.has(rel)) return this.listings.get(rel)!;
    let listing: Listing | null = null;
    try {
      const abs = this.abs(rel);
      // The root may itself be reached through a symlink (e.g. /tmp on macOS); anything below may not.
      if (rel === '.' || !lstatSync(abs).isSymbolicLink()) {
        const files = new Set<string>();
        const dirs: string[] = [];
        for (const e of readdirSync(abs, { withFileTypes: true })) {
          if (e.isFile() || e.isSymbolicLink()) files.add(e.name);
          else if (e.isDirectory() && !e.name.startsWith('.') && !IGNORED_DIRS.has(e.name)) dirs.push(e.name);
        }
        dirs.sort();
        listing = { files, dirs };
      }
    } catch {
      listing = null;
    }
    this.listings.set(rel, listing);
    return listing;
  }

  /** True if `name` is a file (or file symlink) directly inside folder `dir`. */
  has(dir: string, name: string): boolean {
    return this.list(dir)?.files.has(name) ?? false;
  }

  /** True if `rel` is a real folder (not a symlink). */
  isDir(rel: string): boolean {
    try {
      return lstatSync(this.abs(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** UTF-8 text of a repo-relative file, at most 256 KiB; undefined if missing or unsafe to read. */
  read(rel: string, maxBytes = MAX_READ_BYTES): string | undefined {
    const key = `${rel}\0${maxBytes}`;
    if (this.texts.has(key)) return this.texts.get(key);
    const text = this.readUncached(rel, maxBytes);
    this.texts.set(key, text);
    return text;
  }

  private readUncached(rel: string, maxBytes: number): string | undefined {
    const abs = this.abs(rel);
    let fd: number | undefined;
    try {
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) {
        // Only follow a file symlink that stays inside the repository and ends on a regular file
        // (never a FIFO or device, which could block or never end).
        const target = safeRealpath(abs);
        if (!target || !isInside(this.realRoot, target) || !statSync(target).isFile()) return undefined;
      } else if (!st.isFile()) {
        return undefined;
      }
      fd = openSync(abs, 'r');
      const buf = Buffer.alloc(Math.min(maxBytes, Math.max(statSync(abs).size, 0)));
      let filled = 0;
      while (filled < buf.length) {
        const n = readSync(fd, buf, filled, buf.length - filled, filled);
        if (n === 0) break;
        filled += n;
      }
      return buf.subarray(0, filled).toString('utf8').replace(/^\uFEFF/, '');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** True if the file has an execute bit (always true on Windows, where there are none to read). */
  isExecutable(rel: string): boolean {
    if (process.platform === 'win32') return true;
    try {
      return (statSync(this.abs(rel)).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }

  /**
   * Repo-relative folders below `start`, breadth first, at most `maxDepth` (and never more than
   * MAX_WALK_DEPTH) levels below the root, skipping ignored folders, dot-folders and symlinks.
   */
  walk(start = '.', maxDepth = MAX_WALK_DEPTH): string[] {
    const out: string[] = [];
    const startDepth = start === '.' ? 0 : start.split('/').length;
    const limit = Math.min(maxDepth, MAX_WALK_DEPTH);
    let level = [start];
    for (let depth = startDepth; depth < limit && level.length > 0; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        for (const name of this.list(dir)?.dirs ?? []) {
          const rel = joinRel(dir, name);
          out.push(rel);
          next.push(rel);
          if (out.length >= MAX_WALK_DIRS) return out;
        }
      }
      level = next;
    }
    return out;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function isInside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}
