import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, deadPid, exists, generated, nodeVersionLine, read, setNodeVersion, snapshotBytes, write, WF } from './helpers.js';

afterAll(cleanupRepos);

const REPO_LOCK = '.devops-init/.lock';

describe('2. one writer at a time', () => {
  it('a writing command refuses while another holds the repository lock (exit 1, clear message, nothing written)', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    commitAll(dir, 'node 24');
    write(dir, REPO_LOCK, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command: 'sync' }) + '\n');
    const before = snapshotBytes(dir);
    for (const args of [['sync'], ['add', 'gitops'], ['remove', 'ci'], ['eject', WF]]) {
      const r = await cli(dir, args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`another devops-init \\(pid ${process.pid} on ${hostname()}`, 'i'));
      expect(r.stderr).toContain(REPO_LOCK);
      expect(snapshotBytes(dir)).toEqual(before);
    }
    // check reads only: it still runs, and says a run is in progress.
    const c = await cli(dir, ['check']);
    expect(c.exitCode).toBe(1);
  });

  it('a stale lock (its process is gone) is taken over and removed', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    commitAll(dir, 'node 24');
    write(dir, REPO_LOCK, JSON.stringify({ pid: deadPid(), host: hostname(), started: new Date().toISOString(), command: 'sync' }) + '\n');
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(read(dir, WF)).toMatch(nodeVersionLine('24'));
    expect(exists(dir, REPO_LOCK)).toBe(false);
  });

  it('no lock is left behind, and none at all by a read-only command', async () => {
    const dir = await generated();
    expect(exists(dir, REPO_LOCK)).toBe(false);
    await cli(dir, ['check']);
    await cli(dir, ['diff']);
    await cli(dir, ['sync', '--dry-run']);
    expect(exists(dir, REPO_LOCK)).toBe(false);
  });
});
