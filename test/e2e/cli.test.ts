import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupRepos, cli, cliPty, exists, flat, makeRepo, read, ROOT, treeSnapshot } from './helpers.js';

afterAll(cleanupRepos);

describe('command line', () => {
  it.each(['', 'init', 'add', 'remove', 'eject', 'sync', 'check', 'diff', 'list', 'doctor', 'explain'])('%s --help works and exits 0', async (cmd) => {
    const dir = makeRepo();
    const r = await cli(dir, cmd ? [cmd, '--help'] : ['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Usage: devops-init/);
    if (!cmd) for (const c of ['init', 'add', 'sync', 'check', 'diff', 'list', 'explain']) expect(r.stdout).toContain(c);
  });

  it('the start-up fast path (--help, -h, --version, -V without loading the CLI) prints exactly what commander prints', async () => {
    const dir = makeRepo();
    const full = (args: string[], env: Record<string, string> = {}) => execa(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { cwd: dir, reject: false, env: { NO_COLOR: '1', ...env } });
    for (const [fast, slow] of [[['--help'], ['--help']], [['-h'], ['--help']], [['--version'], ['--version']], [['-V'], ['--version']]] as const) {
      const a = await cli(dir, [...fast]);
      const b = await full([...slow]);
      expect(a.exitCode).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout.length).toBeGreaterThan(0);
    }
    // The unwrapped help the fast path prints on wide terminals is the program's too.
    const help = JSON.parse(read(ROOT, 'dist/help.json')) as { wide: string; wideWidth: number };
    expect(help.wide).toBe(`${(await full(['--help'], { DEVOPS_INIT_HELP_WIDTH: String(help.wideWidth) })).stdout}\n`);
  });

  it('init --help lists a flag for every question', async () => {
    const r = await cli(makeRepo(), ['init', '--help']);
    const top = await cli(makeRepo(), ['--help']);
    for (const flag of ['--practices', '--repository', '--name', '--port', '--registry', '--signing', '--dry-run', '--json', '--yes']) {
      expect(r.stdout + top.stdout).toContain(flag);
    }
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    const dir = makeRepo();
    const r = await cli(dir, ['chek']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('check');
    expect((await cli(dir, ['check', '--nope'])).exitCode).toBe(2);
  });

  it('init is the default command: its options work without naming it (commander\'s default command)', async () => {
    const dir = makeRepo('node-npm');
    const r = await cli(dir, ['--yes', '--practices', 'ci', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('.github/workflows/ci-orders-api.yml');
    const bad = await cli(dir, ['bogus']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unknown command "bogus"');
  });

  it('init enables what the chosen practices require, and says so (gitops needs ci)', async () => {
    const dir = makeRepo('node-npm');
    const r = await cli(dir, ['init', '--yes', '--practices', 'gitops']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Also enabling ci, which gitops needs.');
    expect(parse(read(dir, 'devops.yaml')).practices).toEqual(['ci', 'gitops']);
    expect(exists(dir, '.github/workflows/ci-orders-api.yml')).toBe(true);
  });

  it('commands that need devops.yaml say how to start (exit 2)', async () => {
    const r = await cli(makeRepo(), ['check']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('devops-init init');
  });

  it('explain prints the handbook: what, why, pros, cons, best for', async () => {
    const r = await cli(makeRepo(), ['explain', 'ci']);
    expect(r.exitCode).toBe(0);
    for (const h of ['What', 'Why', 'Pros', 'Cons', 'Best for']) expect(r.stdout).toContain(h);
    expect(r.stdout).toMatch(/Every team/i);
    const all = await cli(makeRepo(), ['explain']);
    expect(all.stdout).toContain('Common mistakes');
    expect((await cli(makeRepo(), ['explain', 'nope'])).exitCode).toBe(2);
  });

  it('honours NO_COLOR and --no-color', async () => {
    const dir = makeRepo();
    const a = await cli(dir, ['list'], { NO_COLOR: '1', FORCE_COLOR: '' });
    expect(a.stdout).not.toMatch(/\x1b\[/);
    const b = await cli(dir, ['list', '--no-color'], { NO_COLOR: '' });
    expect(b.stdout).not.toMatch(/\x1b\[/);
  });

  it('-C runs in another folder', async () => {
    const dir = makeRepo('go-svc');
    const r = await cli(ROOT, ['-C', dir, 'init', '--yes', '--practices', 'ci']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(exists(dir, 'devops.yaml')).toBe(true);
  });
});

describe('interactive init through a pseudo-terminal', () => {
  it('asks every question, recommends a strategy from the answers, and writes the setup', async () => {
    const dir = makeRepo('go-svc');
    const r = await cliPty(dir, ['init', '--practices', 'ci,gitops,deploy'], [
      ['Project name', '\r'],
      ['GitHub repository', '\r'],
      ['Where does CI run', '\r'],
      ['container registry', '\r'],
      ['sign the images', '\r'],
      ['deployment manifests live', '\r'],
      ['production sync', '\r'],
      ['preview environment', '\r'],
      ['promotions to Git', '\r'],
      ['stateful', 'y\r'],
      ['high-traffic', '\r'],
      ['Deployment strategy', '\r'],
      ['feature flags', '\r'],
    ]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/Blue\/green/);
    const spec = parse(read(dir, 'devops.yaml'));
    expect(spec.services[0].deploy.strategy).toBe('bluegreen');
    expect(exists(dir, '.github/workflows/ci-inventory.yml')).toBe(true);
  });

  it('asks about what detection guessed, and only that (node-npm: no health route found)', async () => {
    const dir = makeRepo('node-npm');
    const r = await cliPty(dir, ['init', '--practices', 'ci', '--registry', 'ghcr', '--signing', 'cosign'], [
      ['Project name', '\r'],
      ['GitHub repository', '\r'],
      ['HTTP health path', '/health\r'],
      ['Where does CI run', '\r'],
    ]);
    expect(r.exitCode, r.output).toBe(0);
    expect(flat(r.output)).toContain('orders-api: HTTP health path, empty for a TCP probe (guessed: no health route found');
    expect(parse(read(dir, 'devops.yaml')).services[0].healthPath).toBe('/health');
  });

  it('asks where CI runs; picking GitLab CI defaults the registry and the promotion token to GitLab\'s', async () => {
    const dir = makeRepo('go-svc');
    const r = await cliPty(dir, ['init', '--practices', 'ci,gitops'], [
      ['Project name', '\r'],
      ['GitHub repository', '\r'],
      // The second choice, GitLab CI.
      ['Where does CI run', '\x1b[B\r'],
      ['container registry', '\r'],
      ['sign the images', '\r'],
      ['deployment manifests live', '\r'],
      ['production sync', '\r'],
      ['preview environment', '\r'],
      ['promotions to Git', '\r'],
    ]);
    expect(r.exitCode, r.output).toBe(0);
    const spec = parse(read(dir, 'devops.yaml'));
    expect(spec.ci).toEqual({ provider: 'gitlab', registry: 'gitlab', signing: 'cosign' });
    expect(spec.gitops.promotion).toBe('app-token');
    expect(exists(dir, '.gitlab/ci/ci-inventory.yml')).toBe(true);
    expect(exists(dir, '.github')).toBe(false);
  });

  it('offers the practices as a checklist when --practices is not given', async () => {
    const dir = makeRepo('go-svc');
    // Everything is pre-selected; Ctrl-C at the next question proves the list was shown and nothing is written.
    const r = await cliPty(dir, ['init'], [['Project name', '\r'], ['GitHub repository', '\r'], ['Practices to set up', '\r'], ['Where does CI run', '\x03']]);
    expect(r.output).toMatch(/ci\s+Every commit is built/);
    expect(r.output).toMatch(/monitoring\s+/);
    expect(r.exitCode).toBe(130);
    expect(exists(dir, 'devops.yaml')).toBe(false);
  });

  it('Ctrl-C cancels cleanly: one line, exit 130, nothing written', async () => {
    const dir = makeRepo('go-svc');
    const before = treeSnapshot(dir);
    const r = await cliPty(dir, ['init'], [['Project name', '\x03']]);
    expect(r.exitCode).toBe(130);
    expect(r.output).toMatch(/Cancelled; nothing was written/);
    expect(treeSnapshot(dir)).toEqual(before);
  });
});

describe('package', () => {
  it('npm pack ships templates and schema; the tarball runs --help in an empty folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'devops-init-pack-'));
    const empty = mkdtempSync(join(tmpdir(), 'devops-init-empty-'));
    try {
      execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: ROOT, stdio: 'pipe' });
      const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
      const list = execFileSync('tar', ['-tzf', join(out, tgz)], { encoding: 'utf8' });
      expect(list).toContain('package/schema/devops.schema.json');
      expect(list).toContain('package/templates/ci/');
      expect(list).toContain('package/dist/cli.js');
      expect(list).not.toContain('package/test/');
      const r = await execa('npx', ['--yes', '--prefer-offline', `--package=${join(out, tgz)}`, 'devops-init', '--help'], { cwd: empty, reject: false, env: { NO_COLOR: '1', npm_config_update_notifier: 'false' }, timeout: 180_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('Usage: devops-init');
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  }, 240_000);
});
