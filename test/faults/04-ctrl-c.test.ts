import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, generated, leftovers, read, setNodeVersion, snapshotBytes, WF } from './helpers.js';

afterAll(cleanupRepos);

/** A committed repo whose devops.yaml changed since the last sync: sync has files to write. */
async function pending(): Promise<string> {
  const dir = await generated('monorepo-pnpm', 'ci,gitops');
  const spec = read(dir, 'devops.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/devops.yaml`, spec.replace(/dir: deploy\b/, 'dir: k8s'));
  commitAll(dir, 'move gitops dir');
  return dir;
}

describe('4. Ctrl-C tells the truth', () => {
  it('SIGINT during apply rolls back every file already written, says so, exits 130', async () => {
    const dir = await pending();
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['sync'], { DEVOPS_INIT_TEST_SIGNAL_AFTER_WRITES: '3:SIGINT' });
    expect(r.exitCode, r.stderr).toBe(130);
    expect(snapshotBytes(dir)).toEqual(before);
    expect(r.stderr).toMatch(/restored/i);
    expect(leftovers(dir)).toEqual([]);
  });

  it('SIGINT during the synchronous render is not ignored: exit 130, nothing written', async () => {
    const dir = await pending();
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['sync'], { DEVOPS_INIT_TEST_SIGNAL_AT: 'render:SIGINT' });
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain('nothing was written');
    expect(snapshotBytes(dir)).toEqual(before);
  });

  it('SIGINT during check is honoured too', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    const r = await cli(dir, ['check'], { DEVOPS_INIT_TEST_SIGNAL_AT: 'render:SIGINT' });
    expect(r.exitCode).toBe(130);
    void WF;
  });
});
