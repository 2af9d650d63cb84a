import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanupRepos, generated, read, snapshotBytes } from './helpers.js';

afterAll(cleanupRepos);

const LOCK = '.devops-init/lock.json';

/** The CLI with a short timeout: a hang fails the test instead of stalling the suite. */
async function run(cwd: string, args: string[]) {
  const r = await execa(process.execPath, [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' }, stdin: 'ignore', timeout: 15_000 });
  return { exitCode: r.exitCode, timedOut: r.timedOut, stdout: r.stdout, stderr: r.stderr };
}

function replaceWith(dir: string, path: string, kind: 'dev-zero' | 'fifo' | 'outside'): void {
  const abs = join(dir, path);
  const saved = read(dir, path);
  unlinkSync(abs);
  if (kind === 'dev-zero') symlinkSync('/dev/zero', abs);
  else if (kind === 'fifo') execFileSync('mkfifo', [abs]);
  else {
    const outside = join(mkdtempSync(join(tmpdir(), 'devops-init-outside-')), 'file');
    writeFileSync(outside, saved);
    symlinkSync(outside, abs);
  }
}

describe('8. devops.yaml and the lock are read only as regular files inside the repository', () => {
  for (const file of ['devops.yaml', LOCK]) {
    for (const kind of ['dev-zero', 'fifo', 'outside'] as const) {
      it(`${file} as ${kind}: no hang, exit 2 with a one-line reason, nothing written`, async () => {
        const dir = await generated();
        replaceWith(dir, file, kind);
        const before = snapshotBytes(dir);
        for (const cmd of ['check', 'sync', 'diff']) {
          const r = await run(dir, [cmd]);
          expect(r.timedOut, `${cmd} hung`).toBe(false);
          expect(r.exitCode, `${cmd}: ${r.stderr}`).toBe(2);
          expect(r.stderr).toContain(file);
          expect(r.stderr).toMatch(/regular file|symbolic link/);
          expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        }
        expect(snapshotBytes(dir)).toEqual(before);
      });
    }
  }

  it('a devops.yaml over the size cap is refused, not read', async () => {
    const dir = await generated();
    writeFileSync(join(dir, 'big.yaml'), read(dir, 'devops.yaml') + '#' + 'x'.repeat(9 * 1024 * 1024) + '\n');
    renameSync(join(dir, 'big.yaml'), join(dir, 'devops.yaml'));
    const r = await run(dir, ['check']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/devops\.yaml.*(MiB|too large)/);
  });
});
