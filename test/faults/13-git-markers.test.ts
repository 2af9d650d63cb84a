import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, generated, read, setNodeVersion, snapshotBytes, write, WF } from './helpers.js';

afterAll(cleanupRepos);

function withGitMarkers(text: string): string {
  return text.replace(/^jobs:\n/m, '<<<<<<< HEAD\nenv:\n  A: "1"\n=======\nenv:\n  A: "2"\n>>>>>>> feature/x\njobs:\n');
}

describe("13. git's own conflict markers", () => {
  it('fail check (and --strict, and the fast path without a render)', async () => {
    const dir = await generated();
    write(dir, WF, withGitMarkers(read(dir, WF)));
    for (const args of [['check'], ['check', '--strict']]) {
      const r = await cli(dir, args);
      expect(r.exitCode, r.stdout).toBe(1);
      expect(r.stdout).toMatch(/conflict\s+\.github\/workflows\/ci-orders-api\.yml/);
    }
    const j = JSON.parse((await cli(dir, ['check', '--json'])).stdout);
    expect(j.files.find((f: { path: string }) => f.path === WF).state).toBe('conflict');
  });

  it('diff3-style markers count too', async () => {
    const dir = await generated();
    write(dir, WF, read(dir, WF).replace(/^jobs:\n/m, '<<<<<<< ours\nenv: {A: "1"}\n||||||| base\n=======\nenv: {A: "2"}\n>>>>>>> theirs\njobs:\n'));
    expect((await cli(dir, ['check'])).exitCode).toBe(1);
  });

  it('sync does not merge into a file with unresolved markers: exit 1, file left as it is', async () => {
    const dir = await generated();
    write(dir, WF, withGitMarkers(read(dir, WF)));
    commitAll(dir, 'committed by mistake with markers');
    setNodeVersion(dir, '24');
    const before = read(dir, WF);
    const r = await cli(dir, ['sync']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/unresolved conflict markers/);
    expect(read(dir, WF)).toBe(before);
    void snapshotBytes;
  });
});
