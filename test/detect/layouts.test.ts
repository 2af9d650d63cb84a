import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { goMain, json, repoWith } from './helpers.js';

const paths = (root: string) => detect(root).services.map((s) => s.path);

describe('monorepo layouts', () => {
  it('npm workspaces (object form): members inherit npm ci from the root lockfile', () => {
    const root = repoWith({
      'package.json': json({ name: 'mono', private: true, workspaces: { packages: ['apps/*', 'libs/*'] } }),
      'package-lock.json': '{"lockfileVersion":3}',
      'apps/api/package.json': json({ name: '@m/api', scripts: { start: 'node .', test: 'vitest run' } }),
      'apps/api/.nvmrc': 'v22.3.0\n',
      'libs/util/package.json': json({ name: '@m/util', main: 'index.js' }),
    });
    const facts = detect(root);
    expect(facts.monorepo).toBe('npm-workspaces');
    expect(facts.services).toHaveLength(1);
    expect(facts.services[0]).toMatchObject({
      name: 'api',
      path: 'apps/api',
      version: '22.3',
      packageManager: 'npm',
      commands: { install: 'npm ci', test: 'npm test' },
    });
    expect(facts.notes).toContain('libs/util: library (under libs/ with no start script and no Dockerfile); not a deployable service');
  });

  it('yarn workspaces: a library with a Dockerfile is a service; ** globs reach nested members', () => {
    const root = repoWith({
      'package.json': json({ private: true, workspaces: ['packages/**'] }),
      'yarn.lock': '# yarn lockfile v1\n',
      'packages/group/api/package.json': json({ name: 'api' }),
      'packages/group/api/Dockerfile': 'FROM node:22\nEXPOSE 7000\n',
      'packages/lib/package.json': json({ name: 'lib', scripts: { lint: 'eslint .' } }),
    });
    const facts = detect(root);
    expect(facts.monorepo).toBe('yarn-workspaces');
    expect(facts.services).toEqual([
      expect.objectContaining({
        name: 'api',
        path: 'packages/group/api',
        packageManager: 'yarn',
        port: 7000,
        dockerfile: 'packages/group/api/Dockerfile',
        commands: { install: 'yarn install --frozen-lockfile' },
      }),
    ]);
    expect(facts.services[0]?.reasons).toContain('yarn.lock v1 → Yarn classic (--frozen-lockfile)');
  });

  it('go.work: one service per used module with package main (cmd/ layout counts); libraries noted', () => {
    const root = repoWith({
      'go.work': 'go 1.23\n\nuse (\n\t./api\n\t./worker\n\t./lib\n)\n',
      'api/go.mod': 'module example.com/shop/api\n\ngo 1.22\n',
      'api/main.go': `// Copyright\n${goMain}`,
      'worker/go.mod': 'module example.com/shop/worker/v2\n\ngo 1.23.1\n',
      'worker/cmd/worker/main.go': goMain,
      'worker/queue.go': 'package worker\n',
      'lib/go.mod': 'module example.com/shop/lib\n\ngo 1.23\n',
      'lib/lib.go': '/* package main */\npackage lib\n',
    });
    const facts = detect(root);
    expect(facts.monorepo).toBe('go-work');
    expect(facts.services.map((s) => [s.name, s.path, s.version])).toEqual([
      ['api', 'api', '1.22'],
      ['worker', 'worker', '1.23'],
    ]);
    expect(facts.notes).toContain('lib: library (no package main); not a deployable service');
  });

  it('folders: services/* with their own manifests; a tooling package.json at the root is not a service', () => {
    const root = repoWith({
      'package.json': json({ private: true, devDependencies: { prettier: '3' } }),
      'services/billing/pyproject.toml': '[project]\nname = "billing"\nrequires-python = ">=3.11"\n',
      'services/billing/requirements.txt': 'fastapi\n-r requirements-dev.txt\n',
      'services/billing/requirements-dev.txt': 'pytest==8.3.0\nruff\n',
      'services/billing/.python-version': '3.13.0\n',
      'services/orders/go.mod': 'module orders\n\ngo 1.23\n',
      'services/orders/main.go': goMain,
      'services/ledger/pom.xml': '<project><artifactId>ledger</artifactId></project>',
      'docs/package.json': json({ name: 'docs', scripts: { start: 'docusaurus start' } }),
      'examples/demo/go.mod': 'module demo\n',
    });
    const facts = detect(root);
    expect(facts.monorepo).toBe('folders');
    expect(facts.services.map((s) => s.path)).toEqual(['services/billing', 'services/ledger', 'services/orders']);
    expect(facts.services[0]).toMatchObject({
      language: 'python',
      version: '3.13',
      packageManager: 'pip',
      commands: {
        install: 'pip install -r requirements.txt -r requirements-dev.txt',
        test: 'python -m pytest',
        lint: 'ruff check .',
      },
    });
    expect(facts.services[0]?.reasons).toContain("requires-python '>=3.11' allows Python 3.11; .python-version wins");
    expect(facts.services[1]).toMatchObject({ language: 'java', packageManager: 'maven', commands: { test: 'mvn -B verify' } });
    expect(facts.notes).toContain('package.json at the root is treated as repository tooling: the services live in sub-folders');
  });

  it('a runnable root next to a sub-folder service: both are services', () => {
    const root = repoWith({
      'go.mod': 'module example.com/app\n\ngo 1.23\n',
      'main.go': goMain,
      'web/package.json': json({ name: 'web', scripts: { start: 'vite' } }),
      'web/bun.lock': '{}',
    });
    const facts = detect(root);
    expect(facts.monorepo).toBe('folders');
    expect(facts.services.map((s) => [s.name, s.path, s.packageManager, s.commands.install])).toEqual([
      ['app', '.', 'go', 'go mod download'],
      ['web', 'web', 'bun', 'bun install --frozen-lockfile'],
    ]);
  });

  it('a Maven multi-module build is one service at the root', () => {
    const root = repoWith({
      'pom.xml': '<project><artifactId>platform</artifactId><modules><module>core</module><module>app</module></modules></project>',
      'core/pom.xml': '<project><artifactId>core</artifactId></project>',
      'app/pom.xml': '<project><artifactId>app</artifactId></project>',
    });
    const facts = detect(root);
    expect(facts.services.map((s) => [s.name, s.path])).toEqual([['platform', '.']]);
    expect(facts.monorepo).toBeUndefined();
    expect(facts.notes).toContain('2 Java module folder(s) are built by the root build, not as separate services');
  });

  it('duplicate names across folders get the parent folder as suffix', () => {
    const root = repoWith({
      'billing/api/go.mod': 'module api\n\ngo 1.23\n',
      'billing/api/main.go': goMain,
      'orders/api/go.mod': 'module api\n\ngo 1.23\n',
      'orders/api/main.go': goMain,
    });
    expect(detect(root).services.map((s) => s.name)).toEqual(['api-billing', 'api-orders']);
  });

  it('a repository with no manifest: no services and a note', () => {
    const facts = detect(repoWith({ 'README.md': '# hi\n' }));
    expect(facts.services).toEqual([]);
    expect(facts.notes).toEqual(['no package.json, pyproject.toml, requirements.txt, go.mod, pom.xml or build.gradle found']);
  });

  it('ignored folders (node_modules, vendor, dist, .venv) never yield services', () => {
    const root = repoWith({
      'node_modules/x/package.json': json({ name: 'x', scripts: { start: 'x' } }),
      'vendor/y/go.mod': 'module y\n',
      'dist/package.json': json({ name: 'd', main: 'x' }),
      '.venv/lib/pyproject.toml': '[project]\nname="v"\n',
    });
    expect(paths(root)).toEqual([]);
  });
});
