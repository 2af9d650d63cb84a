import { readdirSync, symlinkSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupRepos, cli, commitAll, exists, makeRepo, read, treeSnapshot, write } from './helpers.js';
import { validateGenerated } from './validate-repo.js';

afterAll(cleanupRepos);

describe.each([
  ['node-npm', ['orders-api']],
  ['python-uv', ['billing']],
  ['python-poetry', undefined],
  ['go-svc', ['inventory']],
  ['java-maven', undefined],
  ['java-gradle', undefined],
  ['monorepo-pnpm', ['inventory', 'web-api', 'worker']],
])('init --yes --practices ci in %s', (fixture, names) => {
  it('writes a valid, secure setup that check accepts', async () => {
    const dir = makeRepo(fixture);
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const specText = read(dir, 'devops.yaml');
    expect(specText.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*devops\.schema\.json$/);
    const spec = parse(specText);
    if (names) expect(spec.services.map((s: { name: string }) => s.name).sort()).toEqual(names);
    expect(exists(dir, '.devops-init/lock.json')).toBe(true);
    expect(exists(dir, '.github/dependabot.yml')).toBe(true);
    for (const s of spec.services) {
      expect(exists(dir, `.github/workflows/ci-${s.name}.yml`)).toBe(true);
      expect(exists(dir, s.dockerfile ?? (s.path === '.' ? 'Dockerfile' : `${s.path}/Dockerfile`))).toBe(true);
    }
    expect(await validateGenerated(dir)).toEqual([]);
    commitAll(dir, 'devops-init');
    const c = await cli(dir, ['check']);
    expect(c.stdout).toContain('match devops.yaml');
    expect(c.exitCode).toBe(0);
  });
});

describe('init', () => {
  it('--yes enables every available practice but the opt-in ones (iac, incident), and check is clean', async () => {
    const dir = makeRepo('node-npm');
    const r = await cli(dir, ['init', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const list = await cli(dir, ['list', '--json']);
    const rows = JSON.parse(list.stdout).practices as { id: string; available: boolean; enabled: boolean }[];
    // iac and incident are opt-in: AWS account ids and escalation contacts no default can give.
    for (const row of rows) expect(row.enabled, row.id).toBe(row.available && !['iac', 'incident'].includes(row.id));
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('--dry-run shows detection and the plan and writes nothing', async () => {
    const dir = makeRepo('monorepo-pnpm');
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['init', '--yes', '--dry-run', '--practices', 'ci']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Detected');
    expect(r.stdout).toMatch(/services\/inventory/);
    expect(r.stdout).toContain('.github/workflows/ci-web-api.yml');
    expect(treeSnapshot(dir)).toEqual(before);
  });

  it('--dry-run --json prints one versioned JSON document', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(dir, ['init', '--yes', '--dry-run', '--json', '--practices', 'ci']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schemaVersion: 1, command: 'init', dryRun: true });
    expect(out.detected.services[0]).toMatchObject({ language: 'go' });
    expect(out.changes.some((c: { path: string; action: string }) => c.path === '.github/workflows/ci-inventory.yml' && c.action === 'create')).toBe(true);
  });

  it('respects an existing Dockerfile and an existing workflow', async () => {
    const dir = makeRepo('existing-ci');
    const dockerfile = read(dir, 'Dockerfile');
    const workflow = read(dir, '.github/workflows/ci.yml');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(dockerfile);
    expect(read(dir, '.github/workflows/ci.yml')).toBe(workflow);
    expect(parse(read(dir, 'devops.yaml')).services[0].port).toBe(8080);
  });

  it('without a TTY and without --yes it never prompts: it uses detected defaults', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(dir, ['init', '--practices', 'ci']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(exists(dir, 'devops.yaml')).toBe(true);
  });

  it('fails with exit 2 naming --repository when there is no remote to detect it from', async () => {
    const dir = makeRepo('go-svc', { remote: false });
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['init', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--repository');
    expect(treeSnapshot(dir)).toEqual(before);
    const ok = await cli(dir, ['init', '--yes', '--practices', 'ci', '--repository', 'acme/inventory']);
    expect(ok.exitCode, ok.stderr).toBe(0);
  });

  it('refuses to run twice', async () => {
    const dir = makeRepo('go-svc');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    const again = await cli(dir, ['init', '--yes']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('devops-init add');
  });

  it('fails clearly in a folder with no service', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['init', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/No service found/);
  });

  it('rejects unknown practices and flag values with exit 2', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci,chaos']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown practice "chaos"');
    const p = await cli(dir, ['init', '--yes', '--port', 'api=99999']);
    expect(p.exitCode).toBe(2);
    expect(exists(dir, 'devops.yaml')).toBe(false);
  });

  it('never writes through a symlink that leaves the repository', async () => {
    const dir = makeRepo('go-svc');
    const outside = mkdtempSync(join(tmpdir(), 'devops-init-outside-'));
    symlinkSync(outside, join(dir, '.github'));
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    expect(treeSnapshot(dir)).toEqual(before);
    expect(exists(dir, 'devops.yaml')).toBe(false);
  });

  it('a write failing half-way leaves the repository byte-identical', async () => {
    const dir = makeRepo('node-npm');
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci'], { DEVOPS_INIT_FAULT_AFTER_WRITES: '4' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('Every file was restored');
    expect(treeSnapshot(dir)).toEqual(before);
  });

  it('quotes hostile names from detection safely', async () => {
    const dir = makeRepo();
    write(dir, 'package.json', JSON.stringify({ name: '../../"${{ github.token }}"\nx', scripts: { test: 'node --test', start: 'node index.js' } }));
    write(dir, 'package-lock.json', JSON.stringify({ name: 'x', lockfileVersion: 3, requires: true, packages: {} }));
    write(dir, 'index.js', 'console.log(1)\n');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci', '--repository', 'acme/shop']);
    expect(r.exitCode, r.stderr).toBe(0);
    const spec = parse(read(dir, 'devops.yaml'));
    expect(spec.services[0].name).toMatch(/^[a-z][-a-z0-9]*$/);
    expect(await validateGenerated(dir)).toEqual([]);
  });
});
