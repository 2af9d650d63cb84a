import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, exists, git, makeRepo, read, treeSnapshot, write } from './helpers.js';

const copies: string[] = [];
afterAll(() => {
  cleanupRepos();
  for (const d of copies.splice(0)) rmSync(d, { recursive: true, force: true });
});

const WF = '.github/workflows/ci-orders-api.yml';
/**
 * The Node version line of the thin caller: `version: "22"` in the `with:` of its `checks` job
 * (`_checks-node-npm.yml` reads it as `inputs.version`, so only the caller changes with it).
 */
const VERSION_LINE = (v: string): RegExp => new RegExp(`^ +version: "?${v}"?`, 'm');
/** The team pins a minor on that line (fails loudly if the line is gone, so the edit is never a no-op). */
function pinMinor(text: string): string {
  expect(text).toMatch(VERSION_LINE('22'));
  return text.replace(/^( +)version: "?22"?$/m, '$1version: "22.11"');
}

let template: Promise<string> | undefined;
/**
 * A Node repo with the CI practice generated and committed. The first call runs init (and
 * asserts it succeeded); every call returns a fresh copy of that repository, .git included, so
 * each test still starts from exactly what `init --yes --practices ci` wrote and committed.
 * A copy is much cheaper than another init (a CLI process per test).
 */
async function generated(): Promise<string> {
  template ??= (async () => {
    const dir = makeRepo('node-npm');
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(r.exitCode, r.stderr).toBe(0);
    commitAll(dir, 'devops-init ci');
    return dir;
  })();
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-e2e-node-npm-'));
  copies.push(dir);
  cpSync(await template, dir, { recursive: true });
  return dir;
}

function setNodeVersion(dir: string, version: string): void {
  write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/version: "?22"?/, `version: "${version}"`));
}

/** A hand edit far from the lines a Node version change touches: an extra env var on the workflow. */
function handEdit(text: string): string {
  return text.replace(/^jobs:\n/m, 'env:\n  TEAM_OWNED_SETTING: "keep-me"\njobs:\n');
}

describe('check', () => {
  it('is clean right after init, and reports each drift state with the fixing command', async () => {
    const dir = await generated();
    expect((await cli(dir, ['check'])).exitCode).toBe(0);

    // edited: exit 0, but --strict fails
    write(dir, WF, handEdit(read(dir, WF)));
    let r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`edited\\s+${WF}`));
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(1);
    git(dir, 'checkout', '--', WF);

    // stale: devops.yaml changed, nobody ran sync
    setNodeVersion(dir, '24');
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`stale\\s+${WF}.*devops-init sync`));
    git(dir, 'checkout', '--', 'devops.yaml');

    // missing
    unlinkSync(join(dir, WF));
    r = await cli(dir, ['check']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`missing\\s+${WF}`));
    git(dir, 'checkout', '--', WF);

    // orphaned: the practice is removed from devops.yaml
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/practices:\n  - ci\n/, 'practices: []\n'));
    r = await cli(dir, ['check', '--json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.files.find((f: { path: string }) => f.path === WF).state).toBe('orphaned');
  });

  it('skips rendering while devops.yaml (as data), overrides and the tool are unchanged; --strict always renders', async () => {
    const dir = await generated();
    const fast = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(fast).toMatchObject({ ok: true, rendered: false });
    expect(JSON.parse((await cli(dir, ['check', '--json', '--strict'])).stdout)).toMatchObject({ ok: true, rendered: true });
    // A hand edit is still seen without rendering.
    write(dir, WF, handEdit(read(dir, WF)));
    const edited = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(edited.rendered).toBe(false);
    expect(edited.files.find((f: { path: string }) => f.path === WF).state).toBe('edited');
    // A comment or layout change to devops.yaml: parsed, its data is the last sync's, no render;
    // a stale generated file would still be seen (the lock's hashes are the render's).
    const spec = read(dir, 'devops.yaml');
    write(dir, 'devops.yaml', `# note\n${spec.replace('  - name: orders-api\n', '  - name: "orders-api"  # quoted now\n')}`);
    const commented = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(commented).toMatchObject({ ok: true, rendered: false });
    expect(read(dir, 'devops.yaml')).toContain('name: "orders-api"  # quoted now');
    // Any change to its data means a real render.
    setNodeVersion(dir, '24');
    const changed = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(changed).toMatchObject({ ok: false, rendered: true });
    expect(changed.files.find((f: { path: string }) => f.path === WF).state).toBe('stale');
    write(dir, 'devops.yaml', spec + '# note\n');
    // So does a team template override.
    write(dir, '.devops-init/templates/.github/dependabot.yml', 'version: 2\nupdates: []\n');
    const r = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(r.rendered).toBe(true);
    expect(r.files.find((f: { path: string }) => f.path === '.github/dependabot.yml').state).toBe('stale');
  });

  it('fails on unresolved conflict markers left by sync', async () => {
    const dir = await generated();
    write(dir, WF, pinMinor(read(dir, WF)));
    commitAll(dir, 'team pins a minor');
    setNodeVersion(dir, '24');
    expect((await cli(dir, ['sync'])).exitCode).toBe(1);
    for (const args of [['check'], ['check', '--strict']]) {
      const r = await cli(dir, args);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/conflict\s+\.github\/workflows\/ci-orders-api\.yml.*resolve the <<<<<<< markers/);
    }
  });

  it('never writes and never spawns (works without git on PATH)', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['check'], { PATH: '/nonexistent' });
    expect(r.exitCode).toBe(1);
    expect(treeSnapshot(dir)).toEqual(before);
  });

  it('fails with exit 2 and line:col on a broken devops.yaml, writing nothing', async () => {
    const dir = await generated();
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('language: node', 'language: nod'));
    const before = treeSnapshot(dir);
    for (const cmd of ['check', 'sync', 'diff']) {
      const r = await cli(dir, [cmd]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+: "nod" is not a valid language — did you mean "node"\?/);
    }
    expect(treeSnapshot(dir)).toEqual(before);
  });
});

describe('sync', () => {
  it('updates unedited files when devops.yaml changes', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read(dir, WF)).toMatch(VERSION_LINE('24'));
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('keeps hand edits through a three-way merge', async () => {
    const dir = await generated();
    write(dir, WF, handEdit(read(dir, WF)));
    commitAll(dir, 'team edit');
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/merge\s+\.github\/workflows\/ci-orders-api\.yml/);
    const wf = read(dir, WF);
    expect(wf).toContain('TEAM_OWNED_SETTING: "keep-me"');
    expect(wf).toMatch(VERSION_LINE('24'));
    const c = await cli(dir, ['check']);
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toMatch(/edited\s+\.github\/workflows\/ci-orders-api\.yml/);
  });

  it('keeps hand edits in a fresh clone made after the edits were committed', async () => {
    const dir = await generated();
    write(dir, WF, handEdit(read(dir, WF)));
    commitAll(dir, 'team edit');
    const clone = mkdtempSync(join(tmpdir(), 'devops-init-clone-'));
    try {
      execFileSync('git', ['clone', '-q', dir, clone]);
      setNodeVersion(clone, '24');
      const r = await cli(clone, ['sync']);
      expect(r.exitCode, r.stderr + r.stdout).toBe(0);
      const wf = read(clone, WF);
      expect(wf).toContain('TEAM_OWNED_SETTING: "keep-me"');
      expect(wf).toMatch(VERSION_LINE('24'));
      expect(wf).not.toContain('<<<<<<<');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('leaves standard conflict markers and exits 1 when edits collide', async () => {
    const dir = await generated();
    write(dir, WF, pinMinor(read(dir, WF)));
    commitAll(dir, 'team pins a minor');
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/conflict\s+\.github\/workflows\/ci-orders-api\.yml/);
    const wf = read(dir, WF);
    expect(wf).toMatch(/<<<<<<< your edits[\s\S]*22\.11[\s\S]*=======[\s\S]*24[\s\S]*>>>>>>> new render/);
  });

  it('refuses to touch files with uncommitted changes unless --force', async () => {
    const dir = await generated();
    write(dir, WF, handEdit(read(dir, WF)));
    setNodeVersion(dir, '24');
    const before = treeSnapshot(dir);
    const r = await cli(dir, ['sync']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('uncommitted changes');
    expect(r.stderr).toContain('--force');
    expect(treeSnapshot(dir)).toEqual(before);
    const f = await cli(dir, ['sync', '--force']);
    expect(f.exitCode, f.stderr).toBe(0);
    expect(read(dir, WF)).toContain('TEAM_OWNED_SETTING');
  });

  it('deletes unedited orphans and --dry-run writes nothing', async () => {
    const dir = await generated();
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/practices:\n  - ci\n/, 'practices: []\n'));
    const before = treeSnapshot(dir);
    const dry = await cli(dir, ['sync', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/delete\s+\.github\/workflows\/ci-orders-api\.yml/);
    expect(treeSnapshot(dir)).toEqual(before);
    commitAll(dir, 'drop ci');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(exists(dir, WF)).toBe(false);
    expect(read(dir, 'Dockerfile')).toContain('FROM'); // seeded files are the team's: never deleted
  });

  it('diff shows a unified diff of what sync would change', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['diff']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`--- a/${WF}`);
    expect(r.stdout).toMatch(/^\+ +version: "?24"?/m);
    const j = JSON.parse((await cli(dir, ['diff', '--json'])).stdout);
    expect(j.files[0].path).toBe(WF);
  });

  it('add keeps the comments and key order of devops.yaml', async () => {
    const dir = await generated();
    const text = read(dir, 'devops.yaml').replace('services:\n', '# Owned by the platform team; ask in #platform.\nservices:\n').replace('    port: 3000\n', '    port: 3000 # the load balancer expects this\n');
    write(dir, 'devops.yaml', text);
    commitAll(dir, 'comments');
    const r = await cli(dir, ['add', 'gitops', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = read(dir, 'devops.yaml');
    expect(after).toContain('# Owned by the platform team; ask in #platform.\nservices:');
    expect(after).toContain('port: 3000 # the load balancer expects this');
    expect(after.split('\n')[0]).toMatch(/yaml-language-server/);
    const keys = after.split('\n').filter((l) => /^[a-z]+:/.test(l)).map((l) => l.split(':')[0]);
    expect(keys.slice(0, 4)).toEqual(['version', 'project', 'practices', 'ci']);
    expect(after).toMatch(/practices:\n  - ci\n  - gitops\n/);
  });
});

describe('hand edits in the thin caller and the shared workflows', () => {
  const IMAGE_WF = '.github/workflows/_image.yml';

  it('check reports edits to a caller input and to a shared workflow; sync keeps both through a spec change', async () => {
    const dir = await generated();
    const caller = read(dir, WF);
    // A line the thin caller still carries: the test command it passes to _checks-node-npm.yml.
    expect(caller).toMatch(/^ +test: "npm test"$/m);
    write(dir, WF, caller.replace(/^( +)test: "npm test"$/m, '$1test: "npm test -- --ci"'));
    // A line of the shared image workflow every service calls: the image job's time cap.
    const shared = read(dir, IMAGE_WF);
    expect(shared).toMatch(/^  image:\n    runs-on: [^\n]+\n    timeout-minutes: 15$/m);
    write(dir, IMAGE_WF, shared.replace(/^(  image:\n    runs-on: [^\n]+\n    timeout-minutes: )15$/m, '$125'));
    commitAll(dir, 'team edits');

    const before = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    const state = (out: { files: { path: string; state: string }[] }, path: string) => out.files.find((f) => f.path === path)?.state;
    expect(state(before, WF)).toBe('edited');
    expect(state(before, IMAGE_WF)).toBe('edited');
    const plain = await cli(dir, ['check']);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`edited\\s+${WF}`));
    expect(plain.stdout).toMatch(new RegExp(`edited\\s+${IMAGE_WF}`));

    // The Node version lives in the caller's `with:`, four lines above the team's test command.
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`merge\\s+${WF}`));
    const wf = read(dir, WF);
    expect(wf).toMatch(VERSION_LINE('24'));
    expect(wf).toMatch(/^ +test: "npm test -- --ci"$/m);
    expect(wf).not.toContain('<<<<<<<');
    expect(read(dir, IMAGE_WF)).toMatch(/^  image:\n    runs-on: [^\n]+\n    timeout-minutes: 25$/m);

    const after = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(state(after, WF)).toBe('edited');
    expect(state(after, IMAGE_WF)).toBe('edited');
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });
});
