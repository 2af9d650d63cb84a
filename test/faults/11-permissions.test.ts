import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyOps, type ApplyFs } from '../../src/apply/apply.js';
import { cleanupRepos, cli, commitAll, generated, setNodeVersion, snapshotBytes } from './helpers.js';

afterAll(cleanupRepos);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Make a folder read-only for this process: chmod, or the immutable flag when running as root. */
function readOnly(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

describe('11. a permission failure is reported as what it is', () => {
  it('a read-only generated folder: exit 1 naming the file that could not be written; no false "could not be restored"', async () => {
    const dir = await generated();
    setNodeVersion(dir, '24');
    commitAll(dir, 'node 24');
    const before = snapshotBytes(dir);
    const undo = readOnly(join(dir, '.github/workflows'));
    try {
      const r = await cli(dir, ['sync']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/\.github\/workflows\/ci-orders-api\.yml/);
      expect(r.stderr).toMatch(/permission|not permitted/i);
      expect(r.stderr).not.toMatch(/could not be restored|bug in devops-init|internal error/);
      expect(r.stderr).toMatch(/nothing changed|restored/i);
    } finally {
      undo();
    }
    expect(snapshotBytes(dir)).toEqual(before);
  });

  it('apply records undo only for writes that happened', async () => {
    const root = mkdtempSync(join(tmpdir(), 'devops-init-perm-'));
    dirs.push(root);
    writeFileSync(join(root, 'a.yml'), 'a: old\n');
    writeFileSync(join(root, 'b.yml'), 'b: old\n');
    const denying: ApplyFs = {
      writeFileSync: (p, d, o) => {
        if (p.includes('b.yml')) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
        fs.writeFileSync(p, d, { mode: o.mode, flag: 'wx' });
      },
      renameSync: fs.renameSync,
      unlinkSync: fs.unlinkSync,
      mkdirSync: (p) => fs.mkdirSync(p),
      rmdirSync: fs.rmdirSync,
      chmodSync: fs.chmodSync,
    };
    const err = await applyOps(root, [{ path: 'a.yml', content: 'a: new\n' }, { path: 'b.yml', content: 'b: new\n' }], denying).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/b\.yml/);
    expect(err?.message).toMatch(/permission denied/);
    expect(err?.message).not.toMatch(/could not be restored/);
    expect(readFileSync(join(root, 'a.yml'), 'utf8')).toBe('a: old\n');
    expect(readFileSync(join(root, 'b.yml'), 'utf8')).toBe('b: old\n');
  });
});
