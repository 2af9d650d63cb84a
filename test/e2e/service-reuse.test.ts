import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, makeRepo, read, write } from './helpers.js';

afterAll(() => cleanupRepos());

interface CheckJson {
  ok: boolean;
  rendered: boolean;
  files: { path: string; state: string }[];
}
const states = (out: string): Record<string, string> => Object.fromEntries((JSON.parse(out) as CheckJson).files.map((f) => [f.path, f.state]));

/**
 * After one service's entry in devops.yaml changes, check and sync take the other services' files
 * from the lock instead of rendering them (src/tree/reuse.ts). What they report and write must be
 * exactly what a full render gives: the same states as `check --strict` (which always renders),
 * hand edits on the other services still seen and kept, their missing files re-created byte for byte.
 */
describe('check and sync after one service changed', () => {
  it('report and write what a full render does, for the changed service and the others', async () => {
    const dir = makeRepo('polyglot-compose');
    const init = await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot']);
    expect(init.exitCode, init.stderr).toBe(0);
    commitAll(dir, 'devops-init');
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
    const dir = makeRepo('polyglot-compose');
    expect((await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init');
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
