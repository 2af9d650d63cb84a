import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, makeRepo, read, ROOT, write } from './helpers.js';

afterAll(() => cleanupRepos());

interface CheckJson {
  ok: boolean;
  files: { path: string; state: string }[];
}
const states = (out: string): Record<string, string> => Object.fromEntries((JSON.parse(out) as CheckJson).files.map((f) => [f.path, f.state]));

/** Plain check and check --strict (the full render, the reference) report the same states. */
async function sameAsStrict(dir: string): Promise<Record<string, string>> {
  const check = await cli(dir, ['check', '--json']);
  const strict = await cli(dir, ['check', '--strict', '--json']);
  expect(states(check.stdout)).toEqual(states(strict.stdout));
  return states(strict.stdout);
}

/**
 * Review of the lock reuse (src/tree/reuse.ts): cases where check or sync with the reuse gave
 * another result than a full render.
 */
describe('lock reuse agrees with the full render', () => {
  it("a change to the first service's metrics moves the dashboard every other service's alerts link (they read services[0])", async () => {
    const dir = makeRepo('polyglot-compose');
    expect((await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init');
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
    const dir = makeRepo('polyglot-compose');
    expect((await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init');
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
