import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, FIXTURES_DIR, generated, git, handEdit, makeRepo, read, setNodeVersion, snapshotBytes, write, WF } from './helpers.js';

afterAll(cleanupRepos);

describe('6. the dirty-tree guard cannot be bypassed', () => {
  it('when devops-init runs in a sub-folder of the git repository', async () => {
    const top = makeRepo();
    const app = join(top, 'app');
    mkdirSync(app);
    cpSync(join(FIXTURES_DIR, 'node-npm'), app, { recursive: true });
    commitAll(top, 'app');
    expect((await cli(app, ['init', '--yes', '--practices', 'ci', '--repository', 'acme/shop'])).exitCode).toBe(0);
    commitAll(top, 'devops-init');
    write(app, WF, handEdit(read(app, WF)));
    setNodeVersion(app, '24');
    const before = snapshotBytes(top);
    const r = await cli(app, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('uncommitted changes');
    expect(r.stderr).toContain(WF);
    expect(snapshotBytes(top)).toEqual(before);
  });

  it('when git fails (garbage in .git/HEAD): refuse rather than guess', async () => {
    const dir = await generated();
    write(dir, WF, handEdit(read(dir, WF)));
    setNodeVersion(dir, '24');
    writeFileSync(join(dir, '.git/HEAD'), 'garbage\n');
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/git/);
    expect(r.stderr).toContain('--force');
    expect(r.stderr).not.toMatch(/internal error|bug in devops-init/);
    expect(snapshotBytes(dir)).toEqual(before);
  });

  it('for gitignored managed files with hand edits (git does not have them)', async () => {
    const dir = await generated();
    write(dir, '.gitignore', '.github/\n');
    git(dir, 'rm', '-r', '-q', '--cached', '.github');
    commitAll(dir, 'ignore .github');
    write(dir, WF, handEdit(read(dir, WF)));
    setNodeVersion(dir, '24');
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(WF);
    expect(snapshotBytes(dir)).toEqual(before);
    // Unedited ignored files are reproducible from devops.yaml: those may be rewritten.
    const f = await cli(dir, ['sync', '--force']);
    expect(f.exitCode, f.stderr).toBe(0);
  });
});
