import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, makeRepo, read, ROOT, write } from './helpers.js';

afterAll(() => cleanupRepos());

interface CheckJson {
  ok: boolean;
  rendered: boolean;
  files: { path: string; state: string }[];
}
const states = (out: string): Record<string, string> => Object.fromEntries((JSON.parse(out) as CheckJson).files.map((f) => [f.path, f.state]));

/** The polyglot-compose fixture with devops-init's setup committed (services web, api, shipping…). */
async function initializedPolyglot(): Promise<string> {
  const dir = makeRepo('polyglot-compose');
  const init = await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot']);
  expect(init.exitCode, init.stderr).toBe(0);
  commitAll(dir, 'devops-init');
  return dir;
}

/** Plain check and check --strict (the full render, the reference) report the same states. */
async function sameAsStrict(dir: string): Promise<Record<string, string>> {
  const check = await cli(dir, ['check', '--json']);
  const strict = await cli(dir, ['check', '--strict', '--json']);
  expect(states(check.stdout)).toEqual(states(strict.stdout));
  return states(strict.stdout);
}

/**
 * After one service's entry in devops.yaml changes, check and sync take the other services' files
 * from the lock instead of rendering them (src/tree/reuse.ts). What they report and write must be
 * exactly what a full render gives: the same states as `check --strict` (which always renders),
 * hand edits on the other services still seen and kept, their missing files re-created byte for byte.
 */
describe('check and sync after one service changed', () => {
  it('report and write what a full render does, for the changed service and the others', async () => {
    const dir = await initializedPolyglot();
    const spec = read(dir, 'devops.yaml');
    expect(spec).toMatch(/port: 8010\n/);

    // The team edits a file of one service and loses a file of another; then api's port changes.
    const edited = 'deploy/web/base/deployment.yaml';
    write(dir, edited, read(dir, edited).replace(/^kind: Deployment$/m, 'kind: Deployment\n# the team was here'));
    const lost = 'deploy/shipping/overlays/staging/kustomization.yaml';
    const lostText = read(dir, lost);
    unlinkSync(join(dir, lost));
    write(dir, 'devops.yaml', spec.replace('port: 8010\n', 'port: 8011\n'));

    const check = await cli(dir, ['check', '--json']);
    const strict = await cli(dir, ['check', '--strict', '--json']);
    expect(check.exitCode).toBe(1);
    expect(states(check.stdout)).toEqual(states(strict.stdout));
    const found = states(check.stdout);
    expect(found['deploy/api/base/deployment.yaml']).toBe('stale');
    expect(found['deploy/api/base/service.yaml']).toBe('stale');
    expect(found[edited]).toBe('edited');
    expect(found[lost]).toBe('missing');
    // The other services' files were taken from the lock, not rendered (api's were).
    const verbose = await cli(dir, ['check', '--verbose']);
    const reused = Number(/(\d+) files of services whose devops.yaml entry is unchanged/.exec(verbose.stdout)?.[1]);
    expect(reused).toBeGreaterThan(20);
    expect(Object.entries(found).filter(([, s]) => s !== 'clean').map(([p]) => p).sort()).toEqual(['deploy/api/base/deployment.yaml', 'deploy/api/base/service.yaml', edited, lost].sort());

    commitAll(dir, 'api moves to 8011');
    const sync = await cli(dir, ['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(read(dir, 'deploy/api/base/service.yaml')).toMatch(/^ +port: 8011$/m);
    expect(read(dir, edited)).toContain('# the team was here');
    expect(read(dir, lost)).toBe(lostText);
    const after = await cli(dir, ['check', '--strict', '--json']);
    expect(Object.entries(states(after.stdout)).filter(([, s]) => s !== 'clean')).toEqual([[edited, 'edited']]);
  });

  it('a file left with conflict markers keeps its old render hash in the lock, so neither check nor sync trusts the lock for it', async () => {
    const dir = await initializedPolyglot();
    const file = 'deploy/api/base/service.yaml';
    const original = read(dir, file);
    // Unresolved markers from an earlier merge; then api's port changes and sync cannot merge into them.
    write(dir, file, original.replace(/^spec:$/m, '<<<<<<< your edits\n# ours\n=======\n# theirs\n>>>>>>> devops-init render\nspec:'));
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('port: 8010\n', 'port: 8011\n'));
    commitAll(dir, 'markers, and api moves to 8011');
    const blocked = await cli(dir, ['sync']);
    expect(blocked.stdout + blocked.stderr).toMatch(/unresolved conflict markers/);
    // The team resolves the markers by taking the old file back: the new port is still not in it.
    write(dir, file, original);
    commitAll(dir, 'markers resolved');
    const check = await cli(dir, ['check', '--json']);
    const strict = await cli(dir, ['check', '--strict', '--json']);
    expect(states(check.stdout)[file]).toBe(states(strict.stdout)[file]);
    expect(states(check.stdout)[file]).toBe('stale');
    expect(check.exitCode).toBe(1);
    const sync = await cli(dir, ['sync']);
    expect(sync.exitCode, sync.stdout + sync.stderr).toBe(0);
    expect(read(dir, file)).toMatch(/^ +port: 8011$/m);
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(0);
  });
});

/**
 * Review of the lock reuse (src/tree/reuse.ts): cases where check or sync with the reuse gave
 * another result than a full render.
 */
describe('lock reuse agrees with the full render', () => {
  it("a change to the first service's metrics moves the dashboard every other service's alerts link (they read services[0])", async () => {
    const dir = await initializedPolyglot();
    const spec = read(dir, 'devops.yaml');
    const first = /^ {2}- name: (\S+)$/m.exec(spec)![1]!;
    // Only the first service changes: it gets its own metric name.
    write(dir, 'devops.yaml', spec.replace(`  - name: ${first}\n`, `  - name: ${first}\n    metrics:\n      requestDuration: own_request_duration_seconds\n`));
    commitAll(dir, 'first service has its own metric names');
    const found = await sameAsStrict(dir);
    // Another service's rules now link the shared dashboard of a shape that is no longer the first one's.
    expect(Object.entries(found).filter(([p, s]) => s === 'stale' && /prometheusrule/.test(p) && !p.includes(`/${first}-`)).length).toBeGreaterThan(0);
    const sync = await cli(dir, ['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    commitAll(dir, 'sync');
    // What sync wrote is the full render: --strict passes, and plain check agrees.
    const strict = await cli(dir, ['check', '--strict']);
    expect(strict.exitCode, strict.stdout).toBe(0);
    await sameAsStrict(dir);
  });

  it('init renders with the template overrides already in the repository (the lock records their digest)', async () => {
    const dir = makeRepo('go-svc');
    const path = '.github/workflows/devops-check.yml';
    mkdirSync(join(dir, '.devops-init/templates/.github/workflows'), { recursive: true });
    const shipped = readFileSync(join(ROOT, 'templates/github/devops-check.yml.hbs'), 'utf8');
    write(dir, `.devops-init/templates/${path}`, `${shipped}# the team's override\n`);
    commitAll(dir, 'override before init');
    const init = await cli(dir, ['init', '--yes']);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(read(dir, path)).toContain("# the team's override");
    commitAll(dir, 'devops-init');
    const found = await sameAsStrict(dir);
    expect(found[path]).toBe('clean');
  });

  it('sync --strict renders every file: it repairs a file whose lock entry lies (plain sync trusts the lock, as check does)', async () => {
    const dir = await initializedPolyglot();
    const file = 'deploy/web/base/deployment.yaml';
    const original = read(dir, file);
    const tampered = original.replace(/^kind: Deployment$/m, 'kind: Deployment\n# changed, and the lock told so');
    write(dir, file, tampered);
    const { hashContent } = await import('../../src/lock/hash.js');
    const lockText = read(dir, '.devops-init/lock.json');
    const lock = JSON.parse(lockText) as { files: Record<string, { hash: string }> };
    write(dir, '.devops-init/lock.json', lockText.replace(lock.files[file]!.hash, hashContent(tampered)));
    commitAll(dir, 'tampered');
    expect((await cli(dir, ['check', '--strict', '--json'])).exitCode).toBe(1);
    const sync = await cli(dir, ['sync', '--strict']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(read(dir, file)).toBe(original);
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(0);
  });
});
