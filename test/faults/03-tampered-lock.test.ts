import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { bytes, cleanupRepos, cli, commitAll, exists, generated, handEdit, read, write, WF } from './helpers.js';

afterAll(cleanupRepos);

const LOCK = '.devops-init/lock.json';
const sha = (b: Buffer) => 'sha256-' + createHash('sha256').update(b).digest('hex');

function tamper(dir: string, fn: (lock: any) => void): void {
  const lock = JSON.parse(read(dir, LOCK));
  fn(lock);
  write(dir, LOCK, JSON.stringify(lock, null, 2) + '\n');
  commitAll(dir, 'tampered lock');
}

describe('3. the lock is untrusted input', () => {
  it('sync never deletes a committed file the lock claims as a generated orphan', async () => {
    const dir = await generated();
    const team = ['package.json', 'src/index.js', 'test/health.test.js'];
    tamper(dir, (lock) => {
      for (const p of team) lock.files[p] = { practice: 'ci', ownership: 'managed', hash: sha(bytes(dir, p)) };
    });
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const p of team) expect(exists(dir, p), p).toBe(true);
    expect(r.stdout + r.stderr).not.toMatch(/delete\s+package\.json/);
    // The lock forgets them: a second sync has nothing to say about them.
    const lock = JSON.parse(read(dir, LOCK));
    for (const p of team) expect(lock.files[p]).toBeUndefined();
  });

  it('even when the lock claims another tool version (no snapshot render to compare with)', async () => {
    const dir = await generated();
    tamper(dir, (lock) => {
      lock.tool = '0.0.1';
      lock.files['package.json'] = { practice: 'ci', ownership: 'managed', hash: sha(bytes(dir, 'package.json')) };
    });
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(exists(dir, 'package.json')).toBe(true);
  });

  it('a lock listing devops.yaml, the lock itself or a template override is rejected (exit 2), nothing deleted', async () => {
    for (const p of ['devops.yaml', LOCK, '.devops-init/templates/x.yml']) {
      const dir = await generated();
      if (p.startsWith('.devops-init/templates/')) {
        write(dir, p, 'x: 1\n');
        commitAll(dir, 'override');
      }
      tamper(dir, (lock) => {
        lock.files[p] = { practice: 'ci', ownership: 'managed', hash: sha(bytes(dir, p)) };
      });
      for (const cmd of ['sync', 'check']) {
        const r = await cli(dir, [cmd]);
        expect(r.exitCode, `${cmd} with ${p}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(LOCK);
        expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      }
      expect(exists(dir, p)).toBe(true);
      expect(exists(dir, 'devops.yaml')).toBe(true);
    }
  });

  it('check --strict is not fooled by a managed file moved into "skipped"', async () => {
    const dir = await generated();
    tamper(dir, (lock) => {
      delete lock.files[WF];
      lock.skipped.push(WF);
    });
    write(dir, WF, handEdit(read(dir, WF)));
    commitAll(dir, 'quiet edit');
    const r = await cli(dir, ['check', '--strict']);
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stdout).toContain(WF);
  });
});
