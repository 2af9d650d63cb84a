import { chmodSync, mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanupRepos, cli, commitAll, generated, handEdit, read, setNodeVersion, snapshotBytes, write, WF } from './helpers.js';

afterAll(cleanupRepos);

const LOCK = '.devops-init/lock.json';

/** One line on stderr, no stack trace, no "bug" wording. */
function expectPlainError(r: { stderr: string; exitCode?: number }, code: number): void {
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr).not.toMatch(/internal error|bug in devops-init|\n\s+at \S+ \(|\bat file:\/\//);
}

function withSpec(dir: string, edit: (text: string) => string): void {
  write(dir, 'devops.yaml', edit(read(dir, 'devops.yaml')));
}

describe('9. bad input gets a one-line error, never a stack trace', () => {
  const yamlCases: [string, (t: string) => string][] = [
    ['more than 100 aliases', (t) => t + 'x-anchors: &a [1]\n' + `x-many: [${Array(120).fill('*a').join(', ')}]\n`],
    ['a billion laughs', (t) => t + ['lol0: &l0 "lol"', ...Array.from({ length: 9 }, (_, i) => `lol${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`)].join('\n') + '\n'],
    ['an undefined anchor', (t) => t.replace(/^services:/m, 'services: *nope\nx-services:')],
  ];
  it.each(yamlCases)('YAML with %s: exit 2 with the position', async (_name, edit) => {
    const dir = await generated();
    withSpec(dir, edit);
    const before = snapshotBytes(dir);
    for (const cmd of ['check', 'sync']) {
      const r = await cli(dir, [cmd]);
      expectPlainError(r, 2);
      expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+:/);
    }
    expect(snapshotBytes(dir)).toEqual(before);
  });

  it('a path segment over 255 bytes: exit 2 at its position', async () => {
    const dir = await generated();
    withSpec(dir, (t) => t.replace(/path: \.$/m, `path: ${'a'.repeat(300)}`));
    const r = await cli(dir, ['sync']);
    expectPlainError(r, 2);
    expect(r.stderr).toMatch(/devops\.yaml:\d+:\d+: .*255/);
  });

  it('devops.yaml or the lock being a folder: exit 2', async () => {
    for (const file of ['devops.yaml', LOCK]) {
      const dir = await generated();
      unlinkSync(join(dir, file));
      mkdirSync(join(dir, file));
      for (const cmd of ['check', 'sync']) {
        const r = await cli(dir, [cmd]);
        expectPlainError(r, 2);
        expect(r.stderr).toContain(file);
      }
    }
  });

  it('an unreadable devops.yaml or lock (EACCES): exit 2 naming the file', async () => {
    for (const file of ['devops.yaml', LOCK]) {
      const dir = await generated();
      chmodSync(dir, 0o755);
      chmodSync(join(dir, '.devops-init'), 0o755);
      chmodSync(join(dir, file), 0o000);
      // As root permissions do not bite: run as nobody there.
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
      const r = await execa(asNobody[0]!, [...asNobody.slice(1), BIN, 'check'], { cwd: dir, reject: false, env: { NO_COLOR: '1', HOME: '/tmp' }, stdin: 'ignore' });
      expectPlainError(r, 2);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/permission/i);
      chmodSync(join(dir, file), 0o644);
    }
  });

  it('git missing from PATH when a merge is needed: exit 1 saying git is needed, nothing written', async () => {
    const dir = await generated();
    write(dir, WF, handEdit(read(dir, WF)));
    commitAll(dir, 'team edit');
    setNodeVersion(dir, '24');
    const before = snapshotBytes(dir);
    const r = await cli(dir, ['sync'], { PATH: '/nonexistent' });
    expectPlainError(r, 1);
    expect(r.stderr).toMatch(/git/);
    expect(snapshotBytes(dir)).toEqual(before);
    rmSync(join(dir, 'nothing'), { force: true });
  });
});
