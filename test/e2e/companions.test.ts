import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, exists, makeRepo } from './helpers.js';

afterAll(() => cleanupRepos());

/**
 * A seeded .dockerignore comes only with the Dockerfile devops-init seeds: beside the team's own
 * Dockerfile it would change what that build sends. The lock lists the team's Dockerfile too
 * ("kept as yours"), so the rule must hold on every later sync, not only the first.
 */
describe('a .dockerignore beside the team\'s own Dockerfile', () => {
  it('is never written, on init or on any later sync; it comes with a Dockerfile devops-init seeds', async () => {
    const dir = makeRepo('polyglot-compose');
    expect(exists(dir, 'src/api/Dockerfile')).toBe(true);
    expect((await cli(dir, ['init', '--yes', '--repository', 'acme/polyglot'])).exitCode).toBe(0);
    commitAll(dir, 'devops-init');
    expect(exists(dir, 'src/api/.dockerignore')).toBe(false);
    for (let i = 0; i < 2; i++) {
      const sync = await cli(dir, ['sync']);
      expect(sync.exitCode, sync.stdout + sync.stderr).toBe(0);
      expect(exists(dir, 'src/api/.dockerignore'), `sync ${i + 1} wrote a .dockerignore beside the team's Dockerfile`).toBe(false);
      commitAll(dir, `sync ${i + 1}`);
    }
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(0);
    // A Dockerfile the team deleted is not seeded again (the lock remembers it was theirs), nor its .dockerignore.
    unlinkSync(join(dir, 'src/api/Dockerfile'));
    commitAll(dir, 'no Dockerfile of our own');
    const after = await cli(dir, ['sync']);
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    expect(exists(dir, 'src/api/.dockerignore')).toBe(false);
  });

  it('is seeded with the Dockerfile devops-init seeds, and kept on later syncs', async () => {
    const dir = makeRepo('go-svc');
    expect(exists(dir, 'Dockerfile')).toBe(false);
    expect((await cli(dir, ['init', '--yes', '--repository', 'acme/go'])).exitCode).toBe(0);
    expect(exists(dir, 'Dockerfile') && exists(dir, '.dockerignore')).toBe(true);
    commitAll(dir, 'devops-init');
    expect((await cli(dir, ['sync'])).exitCode).toBe(0);
    expect(exists(dir, '.dockerignore')).toBe(true);
    expect((await cli(dir, ['check', '--strict'])).exitCode).toBe(0);
  });
});
