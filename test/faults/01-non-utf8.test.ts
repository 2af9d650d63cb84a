import { afterAll, describe, expect, it } from 'vitest';
import { bytes, cleanupRepos, cli, commitAll, generated, git, handEdit, nodeVersionLine, read, setNodeVersion, snapshotBytes, status, WF } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

afterAll(cleanupRepos);

const LATIN1_E = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1: not valid UTF-8
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]); // U+FFFD, what a UTF-8 decode makes of 0xe9

/** A repo whose workflow carries a committed hand edit with a Latin-1 byte, then a spec change. */
async function latin1Edit(): Promise<string> {
  const dir = await generated();
  const [a, b] = handEdit(read(dir, WF), '@@').split('@@') as [string, string];
  writeFileSync(join(dir, WF), Buffer.concat([Buffer.from(a), LATIN1_E, Buffer.from(b)]));
  commitAll(dir, 'team edit in Latin-1');
  setNodeVersion(dir, '24');
  commitAll(dir, 'node 24');
  return dir;
}

describe('1. non-UTF-8 bytes in hand edits', () => {
  it('survive the three-way merge byte for byte', async () => {
    const dir = await latin1Edit();
    const r = await cli(dir, ['sync']);
    expect(r.exitCode, r.stderr).toBe(0);
    const wf = bytes(dir, WF);
    expect(wf.includes(LATIN1_E)).toBe(true);
    expect(wf.includes(REPLACEMENT)).toBe(false);
    expect(wf.toString('latin1')).toMatch(nodeVersionLine('24'));
  });

  it('survive a rollback: a write failing after the merge restores the exact bytes', async () => {
    const dir = await latin1Edit();
    const before = snapshotBytes(dir);
    for (let n = 1; n <= 4; n++) {
      const r = await cli(dir, ['sync'], { DEVOPS_INIT_FAULT_AFTER_WRITES: String(n) });
      if (r.exitCode === 0) break; // fewer writes than n: nothing left to fail
      expect(r.exitCode, r.stderr).toBe(1);
      expect(snapshotBytes(dir), `fault after ${n} writes`).toEqual(before);
      expect(status(dir)).toBe('');
      expect(git(dir, 'diff', '--stat')).toBe('');
    }
  });

  it('check reads them without complaint', async () => {
    const dir = await latin1Edit();
    git(dir, 'checkout', 'HEAD~1', '--', 'devops.yaml');
    const r = await cli(dir, ['check']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/edited\s+\.github\/workflows\/ci-orders-api\.yml/);
  });
});
