import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { json, repoWith } from './helpers.js';

const only = (files: Record<string, string>) => {
  const facts = detect(repoWith(files));
  return { facts, svc: facts.services[0]! };
};

describe('node details', () => {
  it('skips the npm placeholder test script; no lockfile → npm install and a note', () => {
    const { facts, svc } = only({
      'package.json': json({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    });
    expect(svc.commands).toEqual({ install: 'npm install' });
    expect(svc.reasons).toContain('scripts.test is the npm placeholder → no test command');
    expect(facts.notes).toContain('no lockfile: defaulting to npm');
  });

  it('packageManager field without a lockfile; bun runs scripts with `bun run`', () => {
    const { svc } = only({ 'package.json': json({ packageManager: 'bun@1.1.30', scripts: { test: 'bun test', lint: 'x' } }) });
    expect(svc.packageManager).toBe('bun');
    expect(svc.commands).toEqual({ install: 'bun install', test: 'bun run test', lint: 'bun run lint' });
    expect(svc.reasons).toContain('packageManager "bun@1.1.30" → package manager bun');
  });

  it('several lockfiles: packageManager breaks the tie, with a note', () => {
    const { facts, svc } = only({
      'package.json': json({ packageManager: 'pnpm@9.0.0' }),
      'package-lock.json': '{}',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    });
    expect(svc.packageManager).toBe('pnpm');
    expect(facts.notes).toContain('several lockfiles (pnpm-lock.yaml, package-lock.json); using pnpm-lock.yaml');
  });

  it('.node-version and unresolvable .nvmrc aliases', () => {
    expect(only({ 'package.json': '{}', '.node-version': '20.11.1' }).svc.version).toBe('20.11');
    const alias = only({ 'package.json': json({ engines: { node: '>=18' } }), '.nvmrc': 'node' }).svc;
    expect(alias.version).toBe('18');
    expect(alias.reasons).toContain('.nvmrc: "node" names no version; ignored');
  });
});

describe('python details', () => {
  it('poetry from [tool.poetry] without a lock; pytest from conftest.py; ruff from ruff.toml', () => {
    const { facts, svc } = only({
      'pyproject.toml': '[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\npython = ">=3.10,<3.13"\n',
      'tests/conftest.py': '',
      'ruff.toml': 'line-length = 100\n',
    });
    expect(svc).toMatchObject({
      packageManager: 'poetry',
      version: '3.10',
      commands: { install: 'poetry install --no-interaction', test: 'poetry run pytest', lint: 'poetry run ruff check .' },
    });
    expect(facts.notes).toContain('no poetry.lock: dependency versions are not pinned');
  });

  it('a uv workspace member uses the root uv.lock', () => {
    const { svc } = only({
      'pyproject.toml': '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["services/*"]\n',
      'uv.lock': 'version = 1\n',
      'services/api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["pytest"]\n',
      'services/api/Dockerfile': 'FROM python:3.12\n',
    });
    expect(svc).toMatchObject({ path: 'services/api', packageManager: 'uv', commands: { install: 'uv sync --locked', test: 'uv run pytest' } });
  });

  it('pyproject with only optional dev extras → pip install with extras', () => {
    const { svc } = only({
      'pyproject.toml': '[project]\nname = "p"\n[project.optional-dependencies]\ndev = ["pytest", "ruff"]\n',
    });
    expect(svc.commands).toEqual({ install: "pip install '.[dev]'", test: 'python -m pytest', lint: 'ruff check .' });
  });
});

describe('java details', () => {
  it('a non-executable mvnw is run through sh, with a note', () => {
    const { facts, svc } = only({ 'pom.xml': '<project><artifactId>a</artifactId></project>', mvnw: '#!/bin/sh\n' });
    expect(svc.commands.test).toBe('sh ./mvnw -B verify');
    expect(facts.notes.join('\n')).toContain('mvnw is not executable');
  });

  it('gradlew wrapper; server.port from application.yml (nested and with a default)', () => {
    const { svc } = only({
      'build.gradle': "plugins { id 'java' }\nsourceCompatibility = '21'\n",
      '+x gradlew': '#!/bin/sh\n',
      'src/main/resources/application.yml': 'spring:\n  application:\n    name: a\n    port: 1\nserver:\n  shutdown: graceful\n  port: ${PORT:9090}\n',
    });
    expect(svc).toMatchObject({
      version: '21',
      port: 9090,
      commands: { install: './gradlew dependencies', test: './gradlew test', build: './gradlew build -x test' },
    });
  });

  it('Dockerfile EXPOSE wins over server.port, with a note about the disagreement', () => {
    const { facts, svc } = only({
      'pom.xml': '<project><artifactId>a</artifactId></project>',
      Dockerfile: 'FROM eclipse-temurin:21\nEXPOSE 8080\n',
      'src/main/resources/application.properties': 'server.port=9000\n',
    });
    expect(svc.port).toBe(8080);
    expect(facts.notes).toContain(
      'sources disagree on the port (8080 from Dockerfile:2 `EXPOSE 8080`; 9000 from src/main/resources/application.properties:1 `server.port=9000`); using 8080',
    );
  });
});
