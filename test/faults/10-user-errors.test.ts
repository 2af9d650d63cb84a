import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, generated, read, snapshotBytes, write } from './helpers.js';

afterAll(cleanupRepos);

function expectUserError(r: { stderr: string; exitCode?: number }, pattern: RegExp): void {
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|bug in devops-init|\n\s+at /);
}

describe('10. user errors are reported as user errors, with file:line:col', () => {
  const specCases: [string, string, (t: string) => string][] = [
    ['service path with a trailing slash', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: src/')],
    ['service path starting with ./', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: ./src')],
    ['service path with a double slash', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: a//b')],
    ['service path inside .git', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: .git/hooks')],
    ['dockerfile pointing at devops.yaml', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: .\n    dockerfile: devops.yaml')],
    ['dockerfile pointing at the lock', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: .\n    dockerfile: .devops-init/lock.json')],
    ['dockerfile pointing at a generated file', 'node-npm', (t) => t.replace(/path: \.$/m, 'path: .\n    dockerfile: .github/workflows/security.yml')],
  ];
  it.each(specCases)('%s', async (_name, fixture, edit) => {
    const dir = await generated(fixture);
    write(dir, 'devops.yaml', edit(read(dir, 'devops.yaml')));
    const before = snapshotBytes(dir);
    for (const cmd of ['sync', 'check']) expectUserError(await cli(dir, [cmd]), /devops\.yaml:\d+:\d+: /);
    expect(snapshotBytes(dir)).toEqual(before);
  });

  it.each(['.git', '.git/x', 'x/.git', '.GIT'])('gitops.dir %s', async (value) => {
    const dir = await generated('node-npm', 'ci,gitops');
    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace(/dir: deploy\b/, `dir: ${value}`));
    for (const cmd of ['sync', 'check']) expectUserError(await cli(dir, [cmd]), /devops\.yaml:\d+:\d+: .*\.git/i);
  });

  it.each([
    ['a Handlebars syntax error', 'version: 2\n{{#if}}\n'],
    ['a missing variable', 'version: {{nope}}\n'],
    ['invalid YAML output', 'version: [2\n'],
  ])('a team override template with %s is reported against the override, exit 2 from sync and check alike', async (_name, text) => {
    const dir = await generated();
    const override = '.devops-init/templates/.github/dependabot.yml';
    write(dir, override, text);
    commitAll(dir, 'override');
    for (const cmd of ['sync', 'check', 'diff']) {
      const r = await cli(dir, [cmd]);
      expectUserError(r, new RegExp(override.replace(/\./g, '\\.')));
      expect(r.stderr).not.toMatch(/github\/dependabot\.yml\.hbs/);
    }
  });
});
