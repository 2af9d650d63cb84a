import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyOps, type ApplyFs } from '../../src/apply/apply.js';
import * as fs from 'node:fs';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-apply-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every file and folder under root with its content, for byte-identical comparisons. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[relative(root, p) + '/'] = '';
        walk(p);
      } else out[relative(root, p)] = readFileSync(p, 'utf8') + `|mode=${statSync(p).mode & 0o777}`;
    }
  };
  walk(root);
  return out;
}

function faultyFs(failOnWrite: number): ApplyFs {
  let writes = 0;
  return {
    writeFileSync: (p, d, o) => {
      if (++writes === failOnWrite) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      fs.writeFileSync(p, d, { mode: o.mode, flag: 'wx' });
    },
    renameSync: fs.renameSync,
    unlinkSync: fs.unlinkSync,
    mkdirSync: (p) => fs.mkdirSync(p),
    rmdirSync: fs.rmdirSync,
    chmodSync: fs.chmodSync,
  };
}

describe('apply', () => {
  it('writes files atomically and creates folders', async () => {
    const root = tmp();
    await applyOps(root, [
      { path: 'a/b/c.yml', content: 'x: 1\n' },
      { path: 'run.sh', content: '#!/bin/sh\n', executable: true },
    ]);
    expect(readFileSync(join(root, 'a/b/c.yml'), 'utf8')).toBe('x: 1\n');
    expect(statSync(join(root, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(readdirSync(join(root, 'a/b'))).toEqual(['c.yml']); // no temp files left behind
    expect(readdirSync(root).sort()).toEqual(['a', 'run.sh']); // nor a journal or backups
  });

  it('a write failing half-way leaves the repository byte-identical', async () => {
    const root = tmp();
    mkdirSync(join(root, 'keep'));
    writeFileSync(join(root, 'keep/existing.yml'), 'mine: true\n');
    writeFileSync(join(root, 'old.txt'), 'old\n');
    const before = snapshot(root);
    const ops = [
      { path: 'keep/existing.yml', content: 'replaced: true\n' },
      { path: 'new/deep/file.yml', content: 'new: 1\n' },
      { path: 'old.txt', content: null },
      { path: 'z/last.yml', content: 'never: written\n' },
    ];
    await expect(applyOps(root, ops, faultyFs(3))).rejects.toThrow(/Every file was restored/);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([1, 2, 3])('rolls back whatever write number %i fails', async (n) => {
    const root = tmp();
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const before = snapshot(root);
    await expect(applyOps(root, [{ path: 'a.txt', content: 'A\n' }, { path: 'b/b.txt', content: 'b\n' }, { path: 'c.txt', content: 'c\n' }], faultyFs(n))).rejects.toThrow();
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses to write through a symlink that points outside the repository', async () => {
    const root = tmp();
    const outside = tmp();
    symlinkSync(outside, join(root, 'deploy'));
    await expect(applyOps(root, [{ path: 'ok.txt', content: '1' }, { path: 'deploy/x.yml', content: 'pwned' }])).rejects.toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root)).toEqual(['deploy']); // nothing else was written either
  });

  it('refuses to replace a file that is a symlink', async () => {
    const root = tmp();
    const outside = tmp();
    writeFileSync(join(outside, 'secret'), 'keep');
    symlinkSync(join(outside, 'secret'), join(root, 'Dockerfile'));
    await expect(applyOps(root, [{ path: 'Dockerfile', content: 'FROM x' }])).rejects.toThrow(/symbolic link/);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('keep');
  });

  it.each(['../escape.txt', '/etc/passwd', 'a/../../b', '.git/config', 'a\\b', 'x/.git/config', '.GIT/config', 'a/GIT~1/x', 'con/x.yml', 'a/nul.yml'])('refuses the unsafe path %j', async (p) => {
    const root = tmp();
    await expect(applyOps(root, [{ path: p, content: 'x' }])).rejects.toThrow(/Refusing/);
  });
});
