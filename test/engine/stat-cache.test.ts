import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashContent } from '../../src/lock/hash.js';
import { emptyLock, type Lock } from '../../src/lock/lock.js';
import { checkAgainstLock, checkTree } from '../../src/plan/check.js';
import { Tree } from '../../src/tree/tree.js';
import { StatCache } from '../../src/tree/stat-cache.js';

// check's stat cache (src/tree/stat-cache.ts): files whose stat is unchanged are not read
// again; any write moves the change time, so an edit is always seen; files too young to
// trust (the racy window) are not remembered; a broken or absent cache only means reads.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const A = 'kind: A\n';
const B = 'kind: B\n';

function repo(files: Record<string, string>, git: 'dir' | 'file' | 'none' = 'dir'): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-statcache-'));
  dirs.push(d);
  if (git === 'dir') mkdirSync(join(d, '.git'));
  if (git === 'file') {
    mkdirSync(join(d, 'gitdir'));
    writeFileSync(join(d, '.git'), 'gitdir: gitdir\n');
  }
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}
function lockOf(files: Record<string, string>): Lock {
  const l = emptyLock('0.0.0-test');
  for (const [p, c] of Object.entries(files)) l.files[p] = { practice: 'ci', ownership: 'managed', hash: hashContent(c) };
  return l;
}
/** A clock far enough ahead that every file here is older than the racy window. */
const later = () => Date.now() + 60_000;
const cacheFile = (root: string, git = '.git') => join(root, git, 'devops-init', 'stat-cache.json');
const states = (root: string, lock: Lock, cache?: StatCache) => Object.fromEntries(checkAgainstLock(root, lock, cache).map((i) => [i.path, i.state]));

describe('check stat cache', () => {
  it('remembers the hash and stat of each file it read, in the git folder', () => {
    const root = repo({ 'a.yml': A, 'deep/b.yml': B });
    const cache = StatCache.open(root, later);
    expect(states(root, lockOf({ 'a.yml': A, 'deep/b.yml': B }), cache)).toEqual({ 'a.yml': 'clean', 'deep/b.yml': 'clean' });
    cache.save();
    const saved = JSON.parse(readFileSync(cacheFile(root), 'utf8'));
    const st = statSync(join(root, 'deep/b.yml'));
    expect(saved.files['deep/b.yml']).toEqual([st.size, st.ino, st.mtimeMs, st.ctimeMs, hashContent(B)]);
  });

  it('trusts an unchanged stat without reading, and sees any write to the file however its size and mtime look', () => {
    const root = repo({ 'a.yml': A });
    const lock = lockOf({ 'a.yml': A });
    const first = StatCache.open(root, later);
    checkAgainstLock(root, lock, first);
    first.save();
    // The cache is what answers: a file whose bytes changed behind a forged entry (same stat)
    // is taken as the entry says. That is why only devops-init writes it, in .git, and why
    // --strict never uses it.
    const saved = JSON.parse(readFileSync(cacheFile(root), 'utf8'));
    saved.files['a.yml'][4] = hashContent(A);
    writeFileSync(join(root, 'a.yml'), 'kind: C\n'); // same size as A
    const st = statSync(join(root, 'a.yml'));
    const forged = { ...saved, files: { 'a.yml': [st.size, st.ino, st.mtimeMs, st.ctimeMs, hashContent(A)] } };
    writeFileSync(cacheFile(root), JSON.stringify(forged));
    expect(states(root, lock, StatCache.open(root, later))).toEqual({ 'a.yml': 'clean' });
    expect(states(root, lock)).toEqual({ 'a.yml': 'edited' }); // no cache (--strict): read
    // A real write after the cache was made: the change time moved, so the file is read.
    writeFileSync(cacheFile(root), JSON.stringify(saved));
    expect(states(root, lock, StatCache.open(root, later))).toEqual({ 'a.yml': 'edited' });
  });

  it('does not remember files changed within the racy window of the moment they were stat\'ed', () => {
    const root = repo({ 'a.yml': A });
    const cache = StatCache.open(root); // real clock: the file was written just now
    expect(states(root, lockOf({ 'a.yml': A }), cache)).toEqual({ 'a.yml': 'clean' });
    cache.save();
    expect(existsSync(cacheFile(root))).toBe(false);
  });

  it('reports missing and edited files whatever the cache holds', () => {
    const root = repo({ 'a.yml': A, 'b.yml': B });
    const lock = lockOf({ 'a.yml': A, 'b.yml': B });
    const cache = StatCache.open(root, later);
    checkAgainstLock(root, lock, cache);
    cache.save();
    rmSync(join(root, 'a.yml'));
    writeFileSync(join(root, 'b.yml'), 'kind: B2\n');
    expect(states(root, lock, StatCache.open(root, later))).toEqual({ 'a.yml': 'missing', 'b.yml': 'edited' });
  });

  it('ignores a damaged cache and writes a good one', () => {
    const root = repo({ 'a.yml': A });
    mkdirSync(join(root, '.git/devops-init'));
    writeFileSync(cacheFile(root), '{"version":1,"files":{"a.yml":"not an entry"}');
    const cache = StatCache.open(root, later);
    expect(states(root, lockOf({ 'a.yml': A }), cache)).toEqual({ 'a.yml': 'clean' });
    cache.save();
    expect(Object.keys(JSON.parse(readFileSync(cacheFile(root), 'utf8')).files)).toEqual(['a.yml']);
  });

  it('lives in the gitdir a .git file points at (worktrees), and nowhere without git', () => {
    const wt = repo({ 'a.yml': A }, 'file');
    const c1 = StatCache.open(wt, later);
    checkAgainstLock(wt, lockOf({ 'a.yml': A }), c1);
    c1.save();
    expect(existsSync(cacheFile(wt, 'gitdir'))).toBe(true);
    const plain = repo({ 'a.yml': A }, 'none');
    const c2 = StatCache.open(plain, later);
    expect(states(plain, lockOf({ 'a.yml': A }), c2)).toEqual({ 'a.yml': 'clean' });
    c2.save();
    expect(existsSync(join(plain, '.git'))).toBe(false);
  });

  it('is best effort: a cache that cannot be written is no error', () => {
    const root = repo({ 'a.yml': A });
    writeFileSync(join(root, '.git/devops-init'), 'a file where the cache folder should be');
    const cache = StatCache.open(root, later);
    expect(states(root, lockOf({ 'a.yml': A }), cache)).toEqual({ 'a.yml': 'clean' });
    expect(() => cache.save()).not.toThrow();
    expect(readFileSync(join(root, '.git/devops-init'), 'utf8')).toBe('a file where the cache folder should be');
  });

  it('serves check after a spec change too, for files whose render is still the lock\'s', () => {
    const root = repo({ 'a.yml': A, 'b.yml': B });
    const lock = lockOf({ 'a.yml': A, 'b.yml': B });
    const tree = new Tree();
    tree.write({ path: 'a.yml', content: A, practice: 'ci', ownership: 'managed', executable: false });
    tree.write({ path: 'b.yml', content: 'kind: B3\n', practice: 'ci', ownership: 'managed', executable: false });
    const first = StatCache.open(root, later);
    const run = (c?: StatCache) => Object.fromEntries(checkTree(root, tree, lock, c).map((i) => [i.path, i.state]));
    expect(run(first)).toEqual({ 'a.yml': 'clean', 'b.yml': 'stale' });
    first.save();
    expect(Object.keys(JSON.parse(readFileSync(cacheFile(root), 'utf8')).files)).toEqual(['a.yml']);
    writeFileSync(join(root, 'a.yml'), 'kind: C\n');
    expect(run(StatCache.open(root, later))).toEqual({ 'a.yml': 'edited', 'b.yml': 'stale' });
  });
});
