import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, generated, git, handEdit, leftovers, read, snapshotBytes, spawnCli, write } from './helpers.js';
import { rng } from './random.js';

/**
 * Two writers on one repository, repeated (the adversarial run lost data 1 time in 40):
 * every round must end in exactly the state one run alone produces, never a mix; a run that
 * finds the repository locked exits 1 saying so; nothing is left behind; check agrees.
 */
afterAll(cleanupRepos);

const SEED = 0xc0c0;
const WF = '.github/workflows/ci-web-api.yml';

function copy(dir: string): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-conc-ref-'));
  cpSync(dir, d, { recursive: true });
  return d;
}

function reset(dir: string, commit: string): void {
  git(dir, 'reset', '-q', '--hard', commit);
  git(dir, 'clean', '-qfdx');
}

/** The monorepo with a committed hand edit and gitops.dir moved (what the adversarial run used). */
async function scenario(): Promise<{ dir: string; base: string }> {
  const dir = await generated('monorepo-pnpm', 'ci,gitops');
  write(dir, WF, handEdit(read(dir, WF)));
  commitAll(dir, 'team edit');
  write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/dir: deploy\b/, 'dir: k8s'));
  commitAll(dir, 'move gitops dir');
  return { dir, base: git(dir, 'rev-parse', 'HEAD').trim() };
}

async function after(dir: string, ...runs: string[][]): Promise<Record<string, string>> {
  const ref = copy(dir);
  for (const args of runs) expect((await cli(ref, args)).exitCode, args.join(' ')).toBe(0);
  return snapshotBytes(ref);
}

describe('concurrent writers', () => {
  it('two syncs at once, repeated: one state, never a mix; the loser says the repository is locked', async () => {
    const { dir, base } = await scenario();
    const next = await after(dir, ['sync']);
    const r = rng(SEED);
    for (let round = 0; round < 8; round++) {
      reset(dir, base);
      const a = spawnCli(dir, ['sync']);
      await new Promise((res) => setTimeout(res, r.int(40)));
      const b = spawnCli(dir, ['sync']);
      const results = await Promise.all([a.done, b.done]);
      for (const x of results) {
        expect([0, 1], `round ${round}: ${x.stderr}`).toContain(x.code);
        if (x.code === 1) expect(x.stderr).toMatch(/Another devops-init .* is (writing|starting to write) this repository/);
      }
      expect(results.some((x) => x.code === 0), `round ${round}`).toBe(true);
      expect(snapshotBytes(dir), `round ${round}`).toEqual(next);
      expect(leftovers(dir)).toEqual([]);
      expect((await cli(dir, ['check'])).exitCode, `round ${round}`).toBe(0);
    }
  }, 120_000);

  it('sync and add at once: the end state is what one of them, or both in turn, gives', async () => {
    const { dir, base } = await scenario();
    const syncOnly = await after(dir, ['sync']);
    // add syncs too, so a sync after it has nothing left to do; an add after an uncommitted
    // sync is refused by the dirty-tree guard (the sync's changes are not committed).
    const addFirst = await after(dir, ['add', 'logging']);
    const r = rng(SEED + 1);
    for (let round = 0; round < 4; round++) {
      reset(dir, base);
      const a = spawnCli(dir, ['sync']);
      await new Promise((res) => setTimeout(res, r.int(40)));
      const b = spawnCli(dir, ['add', 'logging']);
      const [ra, rb] = await Promise.all([a.done, b.done]);
      for (const x of [ra, rb]) {
        expect([0, 1], x.stderr).toContain(x.code);
        if (x.code === 1) expect(x.stderr).toMatch(/Another devops-init|uncommitted changes/);
      }
      const state = snapshotBytes(dir);
      expect(ra.code === 0 || rb.code === 0, `round ${round}`).toBe(true);
      expect(state, `round ${round}: sync ${ra.code}, add ${rb.code}`).toEqual(rb.code === 0 ? addFirst : syncOnly);
      expect(leftovers(dir)).toEqual([]);
    }
  }, 120_000);
});
