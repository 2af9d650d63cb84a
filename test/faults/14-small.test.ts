import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, exists, generated, makeRepo, nodeVersionLine, read, setNodeVersion, write, WF } from './helpers.js';

afterAll(cleanupRepos);

const LOCK = '.devops-init/lock.json';

describe('14. smaller integrity gaps', () => {
  it('a file mode is kept when sync rewrites the file (0444 stays 0444)', async () => {
    const dir = await generated();
    chmodSync(join(dir, WF), 0o444);
    commitAll(dir, 'read-only workflow');
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read(dir, WF)).toMatch(nodeVersionLine('24'));
    expect(statSync(join(dir, WF)).mode & 0o777).toBe(0o444);
  });

  it.each([
    ['the same path', (t: string) => t.replace('path: apps/worker', 'path: apps/web-api')],
    ['the same dockerfile', (t: string) => t.replace('dockerfile: services/inventory/Dockerfile', 'dockerfile: apps/web-api/Dockerfile')],
  ])('two services with %s: exit 2 at the second one', async (_name, edit) => {
    const dir = await generated('monorepo-pnpm', 'ci');
    write(dir, 'devops.yaml', edit(read(dir, 'devops.yaml')));
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+: .*(twice|same)/);
  });

  it('--repository acme/.. (and acme/.) is refused; so is the same in devops.yaml', async () => {
    for (const repo of ['acme/..', 'acme/.', '../shop']) {
      const dir = makeRepo('node-npm');
      const r = await cli(dir, ['init', '--yes', '--practices', 'ci', '--repository', repo]);
      expect(r.exitCode, repo).toBe(2);
      expect(exists(dir, 'devops.yaml')).toBe(false);
    }
    const dir = await generated();
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('repository: acme/shop', 'repository: acme/..'));
    const r = await cli(dir, ['sync']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+: /);
  });

  it.each(['x/.git/config', '.GIT/config', 'a/.Git/hooks/pre-commit', 'x/GIT~1/config', '.git./config'])('the lock may not name %s (exit 2); nothing is written there', async (p) => {
    const dir = await generated();
    const lock = JSON.parse(read(dir, LOCK));
    lock.files[p] = { practice: 'ci', ownership: 'managed', hash: 'sha256-' + '0'.repeat(64) };
    write(dir, LOCK, JSON.stringify(lock, null, 2) + '\n');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(LOCK);
  });

  it.each(['x/.git', 'deploy/.GIT/x'])('gitops.dir %s is refused (exit 2)', async (value) => {
    const dir = await generated('node-npm', 'ci,gitops');
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/dir: deploy\b/, `dir: ${value}`));
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(exists(dir, `${value}/orders-api`)).toBe(false);
  });

  it('a lock with a byte-order mark is read like devops.yaml with one', async () => {
    const dir = await generated();
    writeFileSync(join(dir, LOCK), '\uFEFF' + read(dir, LOCK));
    writeFileSync(join(dir, 'devops.yaml'), '\uFEFF' + read(dir, 'devops.yaml'));
    for (const args of [['check'], ['check', '--strict'], ['sync']]) {
      const r = await cli(dir, args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it.each(['con', 'nul', 'aux', 'prn', 'com1', 'lpt9'])('a service named %s (a Windows device name) is refused', async (name) => {
    const dir = await generated('node-npm', 'ci,gitops');
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('- name: orders-api', `- name: ${name}`));
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+: .*Windows/);
  });
});
