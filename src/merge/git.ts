import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { hashContent } from '../lock/hash.js';
import type { Merged } from '../plan/build.js';

/** The repository's top folder, or undefined when `root` is not inside a git work tree. */
export async function gitTopLevel(root: string): Promise<string | undefined> {
  const r = await execa('git', ['rev-parse', '--show-toplevel'], { cwd: root, reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Paths (repo-relative to `root`) among `paths` that have uncommitted changes. */
export async function dirtyPaths(root: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const r = await execa('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths], { cwd: root, reject: false });
  if (r.exitCode !== 0) return [];
  const set = new Set(paths);
  const out: string[] = [];
  for (const rec of r.stdout.split('\0')) {
    const p = rec.slice(3);
    // Untracked files that we are about to create are not "dirty" work of the team.
    if (rec.startsWith('??')) continue;
    if (set.has(p)) out.push(p);
  }
  return out;
}

/**
 * `git merge-file`: ours = the file on disk, base = the last render, theirs = the new
 * render. Conflicts leave standard markers labelled so people know which side is which.
 */
export async function mergeFile(base: string, ours: string, theirs: string): Promise<Merged> {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-merge-'));
  try {
    const [o, b, t] = ['ours', 'base', 'theirs'].map((n) => join(dir, n)) as [string, string, string];
    writeFileSync(o, ours);
    writeFileSync(b, base);
    writeFileSync(t, theirs);
    const r = await execa('git', ['merge-file', '-p', '-L', 'your edits', '-L', 'last render', '-L', 'new render (devops.yaml)', o, b, t], { reject: false, stripFinalNewline: false });
    if (r.exitCode === undefined || r.exitCode < 0 || r.exitCode > 127) throw new Error(`git merge-file failed: ${r.stderr}`);
    return { content: r.stdout, conflict: r.exitCode > 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Look through the history of `path` (every branch) for a committed version whose
 * content hash equals `hash`. Works in any full clone; a shallow one may not have it.
 */
export async function findInHistory(root: string, path: string, hash: string): Promise<string | undefined> {
  const log = await execa('git', ['log', '--all', '--no-abbrev', '--format=', '--raw', '-n', '200', '--', path], { cwd: root, reject: false });
  if (log.exitCode !== 0) return undefined;
  const blobs = new Set<string>();
  for (const line of log.stdout.split('\n')) {
    const m = /^:\d+ \d+ ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) /.exec(line);
    if (m) for (const id of [m[1]!, m[2]!]) if (!/^0+$/.test(id)) blobs.add(id);
  }
  for (const id of blobs) {
    const r = await execa('git', ['cat-file', 'blob', id], { cwd: root, reject: false, stripFinalNewline: false });
    if (r.exitCode === 0 && hashContent(r.stdout) === hash) return r.stdout;
  }
  return undefined;
}
