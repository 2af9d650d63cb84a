import { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { lstatRegular } from './read.js';

/**
 * A stat cache for `check`, as git's index keeps one: for each generated file, the hash it had
 * and the stat it had when it was hashed (size, inode, modification and change times; in
 * milliseconds with the sub-millisecond fraction the file system gives). A file whose stat is unchanged is not read again. It lives in the git folder
 * (`.git/devops-init/stat-cache.json`, per worktree), never in the working tree: it is never
 * committed, and a fresh clone (CI) simply has none. Nothing depends on it being there or
 * being right in the way that matters: a damaged or missing cache means files are read.
 *
 * Why an unchanged stat means unchanged bytes: any write to a file moves its change time
 * (ctime), which no user can set back (touch sets mtime, and moves ctime to now). The one
 * gap is a write so soon after the stat that the file system's clock granularity hides it
 * (git's "racily clean" entries): only files whose times are at least RACY_MS older than the
 * moment they were stat'ed are remembered, so a later write always shows a later time.
 * `check --strict` never uses the cache.
 */
const VERSION = 1;
const RACY_MS = 2_000;
/** A cache bigger than this (about 50,000 files) is ignored rather than parsed. */
const MAX_BYTES = 16 * 1024 * 1024;

const NOOP = (_read: string): void => {};

type Entry = [size: number, ino: number, mtimeMs: number, ctimeMs: number, hash: string];

function gitDir(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    const st = lstatSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return dotGit;
    if (st?.isFile() && st.size < 4096) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (m) {
        const p = m[1]!.trim();
        const dir = isAbsolute(p) ? p : resolve(root, p);
        return lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() ? dir : undefined;
      }
    }
  } catch {
    /* not a git repository we can use */
  }
  return undefined;
}

export class StatCache {
  private readonly entries: Map<string, Entry>;
  private readonly fresh = new Map<string, Entry>();
  private changed = false;

  private constructor(private readonly file: string | undefined, entries: Map<string, Entry>, readonly now: () => number) {
    this.entries = entries;
  }

  /**
   * The cache of the repository at `root` (an empty one that never saves outside git).
   * `now`: the clock, in milliseconds since the epoch (tests move it).
   */
  static open(root: string, now: () => number = Date.now): StatCache {
    const dir = gitDir(root);
    if (!dir) return new StatCache(undefined, new Map(), now);
    const file = join(dir, 'devops-init', 'stat-cache.json');
    const entries = new Map<string, Entry>();
    try {
      const st = lstatSync(file, { throwIfNoEntry: false });
      if (st?.isFile() && st.size <= MAX_BYTES) {
        const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; files?: unknown };
        if (data.version === VERSION && data.files && typeof data.files === 'object') {
          for (const [path, e] of Object.entries(data.files as Record<string, unknown>)) {
            if (Array.isArray(e) && e.length === 5 && e.slice(0, 4).every((x) => typeof x === 'number') && typeof e[4] === 'string') entries.set(path, e as Entry);
          }
        }
      }
    } catch {
      /* unreadable or damaged: start empty */
    }
    return new StatCache(file, entries, now);
  }

  /**
   * Whether the file at `path` still has the stat it had when it was hashed to `hash`: then
   * `true`, and it need not be read. Otherwise a recorder to call with the hash the caller
   * reads, so the next run can skip it (a no-op for anything but a regular file). `dirs` as
   * for readRegular.
   */
  unchanged(root: string, path: string, hash: string, dirs?: Set<string>): true | ((read: string) => void) {
    const at = this.now();
    const s = lstatRegular(root, path, dirs);
    if (s.kind !== 'file') return NOOP;
    if (this.hashFor(path, s.st) === hash) return true;
    return (read) => this.remember(path, s.st, at, read);
  }

  /** The hash remembered for `path` when `st` (its lstat) is the stat it was hashed at. */
  hashFor(path: string, st: Stats): string | undefined {
    const e = this.entries.get(path);
    if (!e || e[0] !== st.size || e[1] !== st.ino || e[2] !== st.mtimeMs || e[3] !== st.ctimeMs) return undefined;
    this.fresh.set(path, e);
    return e[4];
  }

  /** Remember `hash` for `path`, read after `st` was taken at `statAtMs` (this.now(); see the racy rule above). */
  remember(path: string, st: Stats, statAtMs: number, hash: string): void {
    const limit = statAtMs - RACY_MS;
    if (st.mtimeMs >= limit || st.ctimeMs >= limit) return;
    this.fresh.set(path, [st.size, st.ino, st.mtimeMs, st.ctimeMs, hash]);
    this.changed = true;
  }

  /**
   * Write the entries used or learnt in this run (entries for files no longer checked drop
   * out). Best effort and atomic (temp file + rename): a read-only .git is fine.
   */
  save(): void {
    if (!this.file) return;
    if (!this.changed && this.fresh.size === this.entries.size) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ version: VERSION, files: Object.fromEntries(this.fresh) }));
      renameSync(tmp, this.file);
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        /* never written */
      }
    }
  }
}
