import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { toDnsLabel } from '../../src/detect/names.js';
import { repoWith } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
const DNS_LABEL = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Paths, modes, link targets and contents of a tree, hashed. */
function treeHash(dir: string): string {
  const h = createHash('sha256');
  const visit = (rel: string) => {
    const abs = join(dir, rel);
    const st = lstatSync(abs);
    h.update(`${rel}\0${st.mode}\0${st.size}\0${st.mtimeMs}\0`);
    if (st.isDirectory()) for (const name of readdirSync(abs).sort()) visit(join(rel, name));
    else if (st.isFile()) h.update(readFileSync(abs));
  };
  visit('.');
  return h.digest('hex');
}

describe('detection is read-only', () => {
  it('leaves every fixture byte-for-byte (and mtime-for-mtime) as it was', () => {
    const before = treeHash(FIXTURES);
    for (const name of readdirSync(FIXTURES)) detect(join(FIXTURES, name));
    expect(treeHash(FIXTURES)).toBe(before);
  });
});

describe('hostile and broken inputs', () => {
  it.each([
    ['../../evil', 'evil'],
    ['@scope/My Service!', 'my-service'],
    ['@acme/web-api', 'web-api'],
    ['9lives', 'svc-9lives'],
    ['Ünïcödé_Näme', 'unicode-name'],
    ['日本語', ''],
    ['a'.repeat(80), 'a'.repeat(40)],
    ['--x--', 'x'],
    ['$(rm -rf /)', 'rm-rf'],
  ])('name %j → %j', (raw, label) => {
    expect(toDnsLabel(raw)).toBe(label);
    if (label) expect(label).toMatch(DNS_LABEL); // '' means "use the folder name instead"
  });

  it('a package.json name that climbs or is junk becomes a safe DNS label', () => {
    for (const name of ['../../evil', '@scope/My Service!', '!!!', '/etc/passwd', '.']) {
      const facts = detect(repoWith({ 'package.json': JSON.stringify({ name, scripts: { start: 'node .' } }) }));
      expect(facts.projectName).toMatch(DNS_LABEL);
      expect(facts.services[0]?.name).toMatch(DNS_LABEL);
    }
  });

  it('malformed package.json: a note, not a crash', () => {
    const facts = detect(repoWith({ 'package.json': '{"name": "x", ' }));
    expect(facts.notes.some((n) => n.startsWith('package.json: invalid JSON'))).toBe(true);
    expect(facts.services).toHaveLength(1);
    expect(facts.services[0]?.language).toBe('node');
  });

  it('package.json that is JSON but not an object: a note', () => {
    const facts = detect(repoWith({ 'package.json': '[1, 2]' }));
    expect(facts.notes).toContain('package.json: not a JSON object; ignored');
  });

  it('malformed pyproject.toml: a note with the line, and detection still finds the service', () => {
    const facts = detect(
      repoWith({
        'pyproject.toml': '[project]\nname = "billing"\ndependencies = [\n  "fastapi",\n',
        'uv.lock': 'version = 1\n',
      }),
    );
    expect(facts.notes.join('\n')).toMatch(/^pyproject\.toml: could not parse \(line \d+: unterminated array\)/m);
    expect(facts.services[0]).toMatchObject({ language: 'python', packageManager: 'uv' });
  });

  it('malformed pnpm-workspace.yaml: a note, not a crash', () => {
    const facts = detect(repoWith({ 'package.json': '{"private":true}', 'pnpm-workspace.yaml': 'packages: [apps/*\n' }));
    expect(facts.notes.join('\n')).toContain('pnpm-workspace.yaml: invalid YAML');
  });

  it('workspace globs cannot climb out of the repository', () => {
    const outside = repoWith({ 'evil/package.json': '{"name":"evil","scripts":{"start":"x"}}' });
    const root = repoWith({
      'package.json': JSON.stringify({ private: true, workspaces: ['../*', `${outside}/*`, '/etc'] }),
      'package-lock.json': '{}',
    });
    expect(detect(root).services).toEqual([]);
  });

  it('symlinked directories are not followed: a symlink loop terminates', () => {
    const root = repoWith({
      'package.json': JSON.stringify({ private: true, workspaces: ['packages/**', 'apps/*'] }),
      'package-lock.json': '{}',
      'apps/api/package.json': '{"name":"api","scripts":{"start":"node ."}}',
    });
    symlinkSync(root, join(root, 'apps', 'loop'), 'dir'); // apps/loop → repo root
    symlinkSync('.', join(root, 'apps', 'api', 'self'), 'dir'); // apps/api/self → itself
    mkdirSync(join(root, 'packages'));
    symlinkSync(join(root, 'apps'), join(root, 'packages', 'back'), 'dir');
    // A followed loop would never return (the test's timeout), or list apps/loop/apps/api.
    const facts = detect(root);
    expect(facts.services.map((s) => s.path)).toEqual(['apps/api']);
  });

  it('a file symlink pointing outside the repository is not read', () => {
    const outside = repoWith({ 'secret.json': JSON.stringify({ name: 'leaked-secret', scripts: { start: 'x' } }) });
    const root = repoWith({});
    symlinkSync(join(outside, 'secret.json'), join(root, 'package.json'));
    const facts = detect(root);
    expect(JSON.stringify(facts)).not.toContain('leaked-secret');
  });

  it('huge files are read only up to 256 KiB', () => {
    const big = `{"name": "big", "description": "${'x'.repeat(300 * 1024)}"}`;
    const facts = detect(repoWith({ 'package.json': big }));
    expect(facts.notes.some((n) => n.startsWith('package.json: invalid JSON'))).toBe(true);
  });
});
