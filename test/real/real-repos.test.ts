/**
 * Opt-in: devops-init on real public repositories checked out on this machine (not shipped:
 * their files are not ours). Each folder of $REAL_REPOS is a checkout named `<owner>__<repo>`
 * (scripts/accuracy.mjs uses the same corpus). For each: copy it into a fresh git repository with
 * its GitHub origin, run the built CLI's `init --yes` (every default practice), then
 * - every validator of the e2e suite passes on the files devops-init wrote (the repository's own
 *   files are not judged),
 * - every image builds from a context that holds each Dockerfile COPY/ADD source,
 * - `check` is clean;
 * - after one service's port changes, plain `check` (which takes unchanged services' files from the
 *   lock, src/tree/reuse.ts) reports exactly what `check --strict` (a full render) does, and after
 *   `sync` both are clean.
 * Run: npm run build && REAL_REPOS=/path/to/corpus npx vitest run --project real
 */
import { cpSync, existsSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { missingCopySources } from '../../src/detect/dockerfile.js';
import { cli, commitAll, git, read, write } from '../e2e/helpers.js';
import { validateAll } from '../e2e/validate-repo.js';

const corpus = process.env['REAL_REPOS'];
const repos = corpus && existsSync(corpus) ? readdirSync(corpus).filter((d) => d.includes('__')).sort() : [];
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe.runIf(repos.length > 0)('real repositories', () => {
  it.each(repos)('%s: init --yes writes a setup every validator accepts, images build from the right context, check is clean', async (name) => {
    const dir = mkdtempSync(join(tmpdir(), `devops-init-real-${name}-`));
    made.push(dir);
    cpSync(join(corpus!, name), dir, { recursive: true, filter: (src) => !src.split('/').includes('.git') });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'remote', 'add', 'origin', `https://github.com/${name.replace('__', '/')}.git`);
    commitAll(dir, 'upstream');
    const r = await cli(dir, ['init', '--yes']);
    expect(r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('warning: ') && !l.startsWith('  ')), r.stderr).toEqual([]);
    expect(r.exitCode, r.stderr).toBe(0);
    const spec = parse(read(dir, 'devops.yaml')) as { services: { name: string; path: string; dockerfile?: string; buildContext?: string }[] };
    for (const svc of spec.services) {
      if (!svc.dockerfile || !existsSync(join(dir, svc.dockerfile))) continue;
      expect(missingCopySources(dir, svc.buildContext ?? svc.path, svc.dockerfile), `${svc.name}: ${svc.dockerfile} built from ${svc.buildContext ?? svc.path}`).toEqual([]);
    }
    commitAll(dir, 'devops-init');
    // Only what devops-init wrote: the repository's own files are not ours to judge.
    const lock = JSON.parse(read(dir, '.devops-init/lock.json')) as { files: Record<string, unknown> };
    const generated = new Set(Object.keys(lock.files));
    expect(await validateAll(dir, (f) => generated.has(f))).toEqual([]);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);

    // One service changes (the middle one of those with a port): the lock reuse agrees with the full render.
    const doc = parseDocument(read(dir, 'devops.yaml'));
    const withPort = spec.services.flatMap((s, i) => (typeof (s as { port?: unknown }).port === 'number' ? [i] : []));
    expect(withPort.length, 'a service with a port').toBeGreaterThan(0);
    const i = withPort[Math.floor(withPort.length / 2)]!;
    const port = Number(doc.getIn(['services', i, 'port']));
    doc.setIn(['services', i, 'port'], port === 65535 ? port - 1 : port + 1);
    write(dir, 'devops.yaml', doc.toString());
    commitAll(dir, 'one port');
    const states = (out: string) => Object.fromEntries((JSON.parse(out) as { files: { path: string; state: string }[] }).files.map((f) => [f.path, f.state]));
    const plain = await cli(dir, ['check', '--json']);
    const strict = await cli(dir, ['check', '--strict', '--json']);
    expect(plain.exitCode).toBe(1);
    expect(states(plain.stdout)).toEqual(states(strict.stdout));
    const sync = await cli(dir, ['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    commitAll(dir, 'sync');
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(0);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  }, 600_000);
});
