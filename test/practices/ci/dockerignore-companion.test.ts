import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashContent } from '../../../src/lock/hash.js';
import { emptyLock } from '../../../src/lock/lock.js';
import { mergeFile } from '../../../src/merge/git.js';
import { buildPlan, type MergeSupport } from '../../../src/plan/build.js';
import { computeTree } from '../../../src/tree/compute.js';
import { CI_CASES } from './cases.js';

/**
 * Issue 10: a .dockerignore is seeded only together with its Dockerfile. Beside a Dockerfile
 * the team owns it would change what that build sends (and so what it builds).
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function repo(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-companion-'));
  dirs.push(d);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}
const support: MergeSupport = { base: async () => undefined, merge: mergeFile };
const kinds = async (root: string, lock = emptyLock('0.0.0-test')) => {
  const plan = await buildPlan(root, computeTree(CI_CASES['node-npm']!), lock, support);
  return Object.fromEntries(plan.changes.filter((c) => ['Dockerfile', '.dockerignore'].includes(c.path)).map((c) => [c.path, c.kind]));
};

describe('.dockerignore is a companion of its Dockerfile', () => {
  it('the rendered .dockerignore names its Dockerfile', () => {
    expect(computeTree(CI_CASES['node-npm']!).get('.dockerignore')!.companionOf).toBe('Dockerfile');
  });

  it('is created with a Dockerfile devops-init creates', async () => {
    expect(await kinds(repo({}))).toEqual({ Dockerfile: 'create', '.dockerignore': 'create' });
  });

  it('is not written beside the team\'s own Dockerfile, and says why', async () => {
    const root = repo({ Dockerfile: 'FROM scratch\n' });
    const plan = await buildPlan(root, computeTree(CI_CASES['node-npm']!), emptyLock('0.0.0-test'), support);
    const ignore = plan.changes.find((c) => c.path === '.dockerignore')!;
    expect(ignore.kind).toBe('skip');
    expect(ignore.note).toMatch(/Dockerfile is yours/);
    expect(ignore).not.toHaveProperty('content');
  });

  it('is recreated only when devops-init created the Dockerfile before (the lock has it)', async () => {
    const lock = emptyLock('0.0.0-test');
    lock.files['Dockerfile'] = { practice: 'ci', ownership: 'seeded', hash: hashContent('FROM scratch\n') };
    expect((await kinds(repo({ Dockerfile: 'FROM scratch\n' }), lock))['.dockerignore']).toBe('create');
  });
});
