import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recoverInterrupted } from '../../src/apply/journal.js';
import { acquireRepoLock } from '../../src/apply/repo-lock.js';
import { cleanupRepos, cli, commitAll, generated, git, leftovers, read, snapshotBytes, spawnCli, write } from './helpers.js';
import { rng } from './random.js';

/**
 * SIGINT and SIGKILL at random points of a sync that rewrites ~100 files (seeded): half the
 * rounds signal from outside after a random delay, half from inside after a random number
 * of writes. After SIGINT the repository is exactly the old state (exit 130) or the new one
 * (exit 0). After SIGKILL, recovery alone gives the old or the new state, and the next sync
 * — without --force — ends in the new state. No temp file, journal or lock is left.
 */
afterAll(cleanupRepos);

const SEED = 0x51a1;
const ROUNDS = 10;

function copy(dir: string): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-int-'));
  cpSync(dir, d, { recursive: true });
  return d;
}

describe('interruption at random points', () => {
  it(`${ROUNDS} rounds of SIGINT and SIGKILL: old or new, recovery without --force, nothing left behind`, async () => {
    const dir = await generated('monorepo-pnpm', 'ci,gitops');
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/dir: deploy\b/, 'dir: k8s'));
    commitAll(dir, 'move gitops dir');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const old = snapshotBytes(dir);
    const plan = JSON.parse((await cli(dir, ['sync', '--dry-run', '--json'])).stdout) as { summary: Record<string, number> };
    const writes = ['create', 'update', 'merge', 'conflict', 'delete'].reduce((n, k) => n + (plan.summary[k] ?? 0), 1);
    const ref = copy(dir);
    const t0 = Date.now();
    expect((await cli(ref, ['sync'])).exitCode).toBe(0);
    const duration = Date.now() - t0;
    const next = snapshotBytes(ref);
    const r = rng(SEED);
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      git(dir, 'reset', '-q', '--hard', base);
      git(dir, 'clean', '-qfdx');
      const signal = round % 2 === 0 ? 'SIGINT' : 'SIGKILL';
      const fromInside = round % 4 >= 2;
      const at = fromInside ? 1 + r.int(writes) : Math.floor(r.next() * duration * 1.2);
      const run = spawnCli(dir, ['sync'], fromInside ? { DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES: `${at}:${signal}` } : {});
      const timer = fromInside ? undefined : setTimeout(() => run.child.kill(signal), at);
      const res = await run.done;
      clearTimeout(timer);
      const label = `round ${round}: ${signal} ${fromInside ? `after ${at} writes` : `after ${at} ms`} → code ${res.code} signal ${res.signal}\n${res.stderr}`;
      const state = snapshotBytes(dir);
      if (signal === 'SIGINT') {
        if (res.code === 130) {
          expect(state, label).toEqual(old);
          expect(res.stderr, label).toMatch(/Cancelled/);
        } else if (res.code === 0) expect(state, label).toEqual(next);
        else {
          // Killed by the signal itself: it came before node installed the handler (nothing ran),
          // or while node was tearing down after the run had completed (seen under heavy load).
          expect(res.signal, label).toBe('SIGINT');
          expect([old, next], label).toContainEqual(state);
        }
        expect(leftovers(dir), label).toEqual([]);
        outcomes.push(`SIGINT:${res.code ?? res.signal}`);
        continue;
      }
      if (res.code === 0) {
        expect(state, label).toEqual(next);
        outcomes.push('SIGKILL:late');
        continue;
      }
      expect(res.signal, label).toBe('SIGKILL');
      const probe = copy(dir);
      const held = acquireRepoLock(probe, 'test');
      recoverInterrupted(probe);
      held.release();
      const recovered = snapshotBytes(probe);
      expect([old, next], label).toContainEqual(recovered);
      outcomes.push(`SIGKILL:${JSON.stringify(recovered) === JSON.stringify(old) ? 'undone' : 'completed'}`);
      const again = await cli(dir, ['sync']);
      expect(again.exitCode, `${label}\nnext sync: ${again.stderr}`).toBe(0);
      expect(snapshotBytes(dir), label).toEqual(next);
      expect(leftovers(dir), label).toEqual([]);
    }
    // The rounds really interrupted runs part-way (not all before or after).
    expect(outcomes.filter((o) => o === 'SIGINT:130' || o === 'SIGKILL:undone').length, outcomes.join(' ')).toBeGreaterThan(ROUNDS / 3);
  }, 180_000);
});
