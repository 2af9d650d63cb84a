import { afterAll, describe, expect, it } from 'vitest';
import { recoverInterrupted } from '../../src/apply/journal.js';
import { acquireRepoLock } from '../../src/apply/repo-lock.js';
import { cleanupRepos, cli, commitAll, generated, leftovers, makeRepo, read, snapshotBytes, write } from './helpers.js';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

afterAll(cleanupRepos);

function copy(dir: string): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-kill-'));
  cpSync(dir, d, { recursive: true });
  return d;
}

describe('5. SIGKILL during apply', () => {
  it.each([1, 7, 20])('killed after %i writes, the next command undoes the run (old state) without --force, and no temp file remains', async (n) => {
    const dir = await generated('monorepo-pnpm', 'ci,gitops');
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/dir: deploy\b/, 'dir: k8s'));
    commitAll(dir, 'move gitops dir');
    const old = snapshotBytes(dir);
    // The state a complete sync produces, from a copy.
    const ref = copy(dir);
    expect((await cli(ref, ['sync'])).exitCode).toBe(0);
    const next = snapshotBytes(ref);

    const r = await cli(dir, ['sync'], { DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES: `${n}:SIGKILL` });
    expect(r.signal).toBe('SIGKILL');
    // check never writes, but says the repository is mid-run.
    const c = await cli(dir, ['check']);
    expect(c.exitCode).toBe(1);
    expect(c.stdout + c.stderr).toMatch(/interrupted/i);
    expect((await cli(dir, ['doctor'])).stdout).toMatch(/interrupted part-way/);
    // Recovery alone brings the repository back to a whole state.
    const probe = copy(dir);
    const held = acquireRepoLock(probe, 'test'); // as the next command does: take over the dead run's lock, then recover
    recoverInterrupted(probe);
    held.release();
    const recovered = snapshotBytes(probe);
    expect([old, next]).toContainEqual(recovered);
    // The next sync recovers and completes, without --force.
    const s = await cli(dir, ['sync']);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(snapshotBytes(dir)).toEqual(next);
    expect(leftovers(dir)).toEqual([]);
  });

  it('init killed half-way: the next init starts cleanly (no devops.yaml left behind)', async () => {
    const dir = makeRepo('node-npm');
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['init', '--yes', '--practices', 'ci'], { DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES: '2:SIGKILL' });
    expect(r.signal).toBe('SIGKILL');
    const again = await cli(dir, ['init', '--yes', '--practices', 'ci']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    void before;
  });
});
