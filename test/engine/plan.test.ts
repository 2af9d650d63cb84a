import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashContent } from '../../src/lock/hash.js';
import { emptyLock, parseLock, serializeLock, type Lock } from '../../src/lock/lock.js';
import { mergeFile } from '../../src/merge/git.js';
import { buildPlan, type MergeSupport } from '../../src/plan/build.js';
import { checkTree } from '../../src/plan/check.js';
import { Tree } from '../../src/tree/tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function repo(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-plan-'));
  dirs.push(d);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}
function tree(files: Record<string, string>, seeded: string[] = []): Tree {
  const t = new Tree();
  for (const [path, content] of Object.entries(files)) t.write({ path, content, practice: 'ci', ownership: seeded.includes(path) ? 'seeded' : 'managed', executable: false });
  return t;
}
function lock(files: Record<string, string>, seeded: string[] = []): Lock {
  const l = emptyLock('0.0.0-test');
  for (const [p, c] of Object.entries(files)) l.files[p] = { practice: 'ci', ownership: seeded.includes(p) ? 'seeded' : 'managed', hash: hashContent(c) };
  return l;
}
/** Bases come from a map of last renders (what the lock snapshot would re-render). */
function support(bases: Record<string, string>): MergeSupport {
  return { base: async (p, h) => (bases[p] !== undefined && hashContent(bases[p]!) === h ? bases[p] : undefined), merge: mergeFile, generated: (p) => Object.hasOwn(bases, p) };
}
const V1 = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n';
const V2 = V1.replace('a: 1', 'a: 10');

describe('plan (sync)', () => {
  it('classifies every file state', async () => {
    const root = repo({
      'same.yml': V1,
      'changed.yml': V1,
      'edited-same.yml': V1 + '# mine\n',
      'edited-merge.yml': V1.replace('f: 6', 'f: 66'),
      'edited-conflict.yml': V1.replace('a: 1', 'a: 99'),
      'orphan.yml': V1,
      'orphan-edited.yml': V1 + 'x: 1\n',
      'Dockerfile': 'FROM mine\n',
      'theirs.yml': 'their own workflow\n',
    });
    const rendered = { 'same.yml': V1, 'changed.yml': V2, 'edited-same.yml': V1, 'edited-merge.yml': V2, 'edited-conflict.yml': V2, 'new.yml': V1, 'Dockerfile': 'FROM ours\n', 'theirs.yml': V1 };
    const last = { 'same.yml': V1, 'changed.yml': V1, 'edited-same.yml': V1, 'edited-merge.yml': V1, 'edited-conflict.yml': V1, 'orphan.yml': V1, 'orphan-edited.yml': V1 };
    const plan = await buildPlan(root, tree(rendered, ['Dockerfile']), lock(last), support(last));
    const kinds = Object.fromEntries(plan.changes.map((c) => [c.path, c.kind]));
    expect(kinds).toEqual({
      'same.yml': 'unchanged',
      'changed.yml': 'update',
      'edited-same.yml': 'edited',
      'edited-merge.yml': 'merge',
      'edited-conflict.yml': 'conflict',
      'new.yml': 'create',
      'orphan.yml': 'delete',
      'orphan-edited.yml': 'release',
      'Dockerfile': 'keep',
      'theirs.yml': 'skip',
    });
    const merged = plan.changes.find((c) => c.path === 'edited-merge.yml')!;
    expect(String(merged.content)).toBe(V2.replace('f: 6', 'f: 66')); // both the new render and the hand edit
    const conflict = plan.changes.find((c) => c.path === 'edited-conflict.yml')!;
    expect(String(conflict.content)).toMatch(/<<<<<<< your edits\na: 99\n(\|\|\|\|\|\|\| last render\na: 1\n)?=======\na: 10\n>>>>>>> new render/);
  });

  it('without a recoverable base, an edited file becomes a whole-file conflict, never a silent overwrite', async () => {
    const root = repo({ 'w.yml': V1 + '# mine\n' });
    const plan = await buildPlan(root, tree({ 'w.yml': V2 }), lock({ 'w.yml': V1 }), support({}));
    expect(plan.changes[0]!.kind).toBe('conflict');
    expect(String(plan.changes[0]!.content)).toContain('# mine');
  });

  it('deletes an orphan only when devops-init could have generated it (the lock is untrusted)', async () => {
    const root = repo({ 'orphan.yml': V1, 'package.json': '{}\n' });
    const l = lock({ 'orphan.yml': V1, 'package.json': '{}\n' });
    const plan = await buildPlan(root, tree({}), l, { ...support({}), generated: (p) => p === 'orphan.yml' });
    expect(Object.fromEntries(plan.changes.map((c) => [c.path, c.kind]))).toEqual({ 'orphan.yml': 'delete', 'package.json': 'release' });
    const unsure = await buildPlan(root, tree({}), l, { base: async () => undefined, merge: mergeFile });
    expect(unsure.changes.every((c) => c.kind === 'release')).toBe(true);
  });

  it('blocks paths that go through a symlink', async () => {
    const root = repo({});
    const outside = repo({});
    symlinkSync(outside, join(root, '.github'));
    const plan = await buildPlan(root, tree({ '.github/workflows/ci.yml': V1 }), undefined, support({}));
    expect(plan.changes[0]).toMatchObject({ kind: 'blocked' });
  });
});

describe('check', () => {
  it('reports clean, edited, stale, missing and orphaned', () => {
    const root = repo({ 'clean.yml': V1, 'edited.yml': V1 + '# mine\n', 'stale.yml': V1, 'orphan.yml': V1 });
    const items = checkTree(root, tree({ 'clean.yml': V1, 'edited.yml': V1, 'stale.yml': V2, 'missing.yml': V1 }), lock({ 'clean.yml': V1, 'edited.yml': V1, 'stale.yml': V1, 'missing.yml': V1, 'orphan.yml': V1 }));
    expect(Object.fromEntries(items.map((i) => [i.path, i.state]))).toEqual({
      'clean.yml': 'clean',
      'edited.yml': 'edited',
      'stale.yml': 'stale',
      'missing.yml': 'missing',
      'orphan.yml': 'orphaned',
    });
    expect(items.find((i) => i.state === 'stale')!.fix).toBe('devops-init sync');
  });
});

describe('lock', () => {
  it('round-trips and is stable', () => {
    const l = lock({ 'b.yml': V1, 'a.yml': V2 });
    const text = serializeLock(l);
    expect(serializeLock(parseLock(text))).toBe(text);
    expect(text.indexOf('a.yml')).toBeLessThan(text.indexOf('b.yml'));
  });

  it.each(['../evil', '/etc/passwd', '.git/hooks/pre-commit', 'a/../../b'])('is untrusted input: rejects %j', (p) => {
    const l = lock({ 'ok.yml': V1 });
    const data = JSON.parse(serializeLock(l));
    data.files[p] = data.files['ok.yml'];
    expect(() => parseLock(JSON.stringify(data))).toThrow(/lock/);
  });

  it('rejects malformed hashes and unknown practices', () => {
    const data = JSON.parse(serializeLock(lock({ 'ok.yml': V1 })));
    data.files['ok.yml'].hash = 'md5-abc';
    expect(() => parseLock(JSON.stringify(data))).toThrow(/malformed/);
    data.files['ok.yml'].hash = hashContent('x');
    data.practices = ['rm -rf'];
    expect(() => parseLock(JSON.stringify(data))).toThrow(/unknown practice/);
  });
});
