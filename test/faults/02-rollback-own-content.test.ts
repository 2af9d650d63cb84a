import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyOps, type ApplyFs } from '../../src/apply/apply.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('2. rollback restores only what this run wrote', () => {
  it('a file another writer changed after this run wrote it is left as that writer made it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'devops-init-own-'));
    dirs.push(root);
    writeFileSync(join(root, 'a.yml'), 'a: old\n');
    writeFileSync(join(root, 'b.yml'), 'b: old\n');
    let renames = 0;
    const racy: ApplyFs = {
      writeFileSync: (p, d, o) => fs.writeFileSync(p, d, { mode: o.mode, flag: 'wx' }),
      renameSync: (from, to) => {
        if (++renames === 2) {
          // Another writer replaces a.yml (which this run already wrote), then our next write fails.
          writeFileSync(join(root, 'a.yml'), 'a: theirs\n');
          throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
        }
        fs.renameSync(from, to);
      },
      unlinkSync: fs.unlinkSync,
      mkdirSync: (p) => fs.mkdirSync(p),
      rmdirSync: fs.rmdirSync,
      chmodSync: fs.chmodSync,
    };
    let error: unknown;
    try {
      await applyOps(root, [{ path: 'a.yml', content: 'a: ours\n' }, { path: 'b.yml', content: 'b: ours\n' }], racy);
    } catch (e) {
      error = e;
    }
    expect(String((error as Error)?.message)).toMatch(/a\.yml/); // named as changed by someone else
    expect(readFileSync(join(root, 'a.yml'), 'utf8')).toBe('a: theirs\n');
    expect(readFileSync(join(root, 'b.yml'), 'utf8')).toBe('b: old\n');
  });
});
