import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { PreconditionError } from '../errors.js';
import { hashContent } from '../lock/hash.js';
import type { Merged } from '../plan/build.js';

/** git could not be run at all (not installed, not on PATH). */
function gitMissing(e: unknown): boolean {
  return (e as { code?: string })?.code === 'ENOENT';
}

/** The repository's top folder, or undefined when `root` is not inside a git work tree. */
export async function gitTopLevel(root: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--show-toplevel'], { cwd: root, reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** True when `root` or a folder above it has a `.git` (folder or worktree file), found without running git. */
export function insideGitRepo(root: string): boolean {
  for (let d = root; ; d = dirname(d)) {
    if (lstatSync(join(d, '.git'), { throwIfNoEntry: false })) return true;
    if (dirname(d) === d) return false;
  }
}

/** A file sync would rewrite, and whether the team edited it (its bytes differ from the last render). */
export interface Touched {
  path: string;
  edited: boolean;
}

function gitFailed(what: string, detail: string): PreconditionError {
  return new PreconditionError(
    `git ${what} failed (${detail.split('\n').find((l) => l.trim()) ?? 'no message'}), so devops-init cannot tell whether the files it would rewrite have uncommitted changes.`,
    'Fix the repository (`git status` should work), or pass --force to rewrite them anyway.',
  );
}

/**
 * Paths among `touched` whose current content git does not have: uncommitted changes to a
 * tracked file, and hand edits in untracked or gitignored files (git has no copy of those).
 * An untracked or ignored file that equals its last render is not dirty: devops.yaml can
 * produce it again. Paths are relative to `root`, which may be a sub-folder of the work
 * tree. Not a git repository → nothing is dirty; git failing or missing in one → refuse.
 */
export async function dirtyPaths(root: string, touched: Touched[]): Promise<string[]> {
  if (touched.length === 0 || !insideGitRepo(root)) return [];
  const run = async (args: string[], what: string) => {
    let r;
    try {
      r = await execa('git', ['--literal-pathspecs', ...args], { cwd: root, reject: false, stripFinalNewline: false });
    } catch (e) {
      throw gitMissing(e) ? new PreconditionError('git is not on PATH, so devops-init cannot tell whether the files it would rewrite have uncommitted changes.', 'Install git (or fix PATH), or pass --force.') : e;
    }
    if (r.failed && gitMissing(r)) throw new PreconditionError('git is not on PATH, so devops-init cannot tell whether the files it would rewrite have uncommitted changes.', 'Install git (or fix PATH), or pass --force.');
    if (r.exitCode !== 0) throw gitFailed(what, String(r.stderr || r.message || ''));
    return String(r.stdout);
  };
  const prefix = (await run(['rev-parse', '--show-prefix'], 'rev-parse')).trim();
  // --ignored=traditional with --untracked-files=all lists each file inside an ignored folder.
  const out = await run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=traditional', '--', ...touched.map((t) => t.path)], 'status');
  const dirty = new Set<string>();
  const recs = out.split('\0');
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    if (rec.length < 4) continue;
    const xy = rec.slice(0, 2);
    const shown = rec.slice(3);
    if (/[RC]/.test(xy)) i++; // a rename or copy is followed by its source path
    // A folder entry ("dir/") stands for every file under it.
    const hits = touched.filter((t) => prefix + t.path === shown || (shown.endsWith('/') && (prefix + t.path).startsWith(shown)));
    for (const t of hits) {
      if ((xy === '??' || xy === '!!') && !t.edited) continue;
      dirty.add(t.path);
    }
  }
  return touched.map((t) => t.path).filter((p) => dirty.has(p));
}

/**
 * `git merge-file` on raw bytes: ours = the file on disk, base = the last render, theirs =
 * the new render. Conflicts leave standard markers labelled so people know which side is
 * which. Nothing is decoded: bytes that are not UTF-8 come through unchanged.
 */
export async function mergeFile(base: string | Buffer, ours: Buffer, theirs: string | Buffer, path = 'a file'): Promise<Merged> {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-merge-'));
  try {
    const [o, b, t] = ['ours', 'base', 'theirs'].map((n) => join(dir, n)) as [string, string, string];
    writeFileSync(o, ours);
    writeFileSync(b, base);
    writeFileSync(t, theirs);
    let r;
    try {
      r = await execa('git', ['merge-file', '-p', '-L', 'your edits', '-L', 'last render', '-L', 'new render (devops.yaml)', o, b, t], { reject: false, stripFinalNewline: false, encoding: 'buffer' });
    } catch (e) {
      if (gitMissing(e)) throw needGit(path);
      throw e;
    }
    if (r.failed && gitMissing(r)) throw needGit(path);
    if (r.exitCode === undefined || r.exitCode < 0 || r.exitCode > 127) throw new PreconditionError(`git merge-file failed on ${path}: ${Buffer.from(r.stderr as Uint8Array).toString('utf8').trim() || r.message}.`, 'Nothing was written.');
    return { content: Buffer.from(r.stdout as Uint8Array), conflict: r.exitCode > 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function needGit(path: string): PreconditionError {
  return new PreconditionError(`git is needed to merge your hand edits in ${path} with the new render, and it is not on PATH.`, 'Install git (or fix PATH) and run the command again. Nothing was written.');
}

/**
 * Look through the history of `path` (every branch) for a committed version whose
 * content hash equals `hash`. Works in any full clone; a shallow one may not have it.
 */
export async function findInHistory(root: string, path: string, hash: string): Promise<Buffer | undefined> {
  const log = await execa('git', ['log', '--all', '--no-abbrev', '--format=', '--raw', '-n', '200', '--', path], { cwd: root, reject: false });
  if (log.exitCode !== 0) return undefined;
  const blobs = new Set<string>();
  for (const line of String(log.stdout).split('\n')) {
    const m = /^:\d+ \d+ ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) /.exec(line);
    if (m) for (const id of [m[1]!, m[2]!]) if (!/^0+$/.test(id)) blobs.add(id);
  }
  for (const id of blobs) {
    const r = await execa('git', ['cat-file', 'blob', id], { cwd: root, reject: false, stripFinalNewline: false, encoding: 'buffer' });
    if (r.exitCode !== 0) continue;
    const bytes = Buffer.from(r.stdout as Uint8Array);
    // The lock hashes renders (LF); a blob committed from a CRLF checkout is LF in git anyway.
    if (hashContent(bytes) === hash) return bytes;
  }
  return undefined;
}
