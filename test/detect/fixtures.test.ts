import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import type { DetectedService } from '../../src/detect/types.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Everything but `reasons`, which each test checks separately for the sources it cares about. */
const core = ({ reasons: _reasons, evidence: _evidence, ...rest }: DetectedService) => rest;
const reasonsOf = (s: DetectedService | undefined) => (s?.reasons ?? []).join('\n');

describe('detect() on fixture repositories', () => {
  it('node-npm: npm from package-lock.json, Node 22 from .nvmrc over engines', () => {
    const facts = detect(fixture('node-npm'));
    expect(facts.root).toBe(fixture('node-npm'));
    expect(facts.projectName).toBe('orders-api');
    expect(facts.monorepo).toBeUndefined();
    expect(facts.existingWorkflows).toEqual([]);
    expect(facts.services.map(core)).toEqual([
      {
        name: 'orders-api',
        path: '.',
        language: 'node',
        version: '22',
        packageManager: 'npm',
        // The code's own default (`process.env.PORT ?? 3000`); before issue 10 it was left unset.
        port: 3000,
        commands: { install: 'npm ci', test: 'npm test', lint: 'npm run lint', build: 'npm run build' },
        start: 'node src/index.js',
      },
    ]);
    const why = reasonsOf(facts.services[0]);
    expect(why).toContain('package-lock.json → package manager npm');
    expect(why).toContain('scripts.start "node src/index.js" → start: node src/index.js');
    expect(why).toContain('.nvmrc → Node 22');
    expect(why).toContain('port 3000: src/index.js:4 `process.env.PORT ?? 3000`');
    expect(why).toContain("engines.node '>=20.12' allows Node 20");
    expect(facts.notes).toEqual([]);
  });

  it('python-uv: uv.lock, requires-python, pytest and ruff from dependency-groups', () => {
    const facts = detect(fixture('python-uv'));
    expect(facts.projectName).toBe('billing');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'billing',
        path: '.',
        language: 'python',
        version: '3.12',
        packageManager: 'uv',
        port: 8000,
        commands: { install: 'uv sync --locked', test: 'uv run pytest', lint: 'uv run ruff check .' },
        // FastAPI app object in app/main.py; uvicorn[standard] is a runtime dependency.
        start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000',
      },
    ]);
    const why = reasonsOf(facts.services[0]);
    expect(why).toContain('fastapi + uvicorn, app object in app/main.py → start: uvicorn app.main:app --host 0.0.0.0 --port 8000');
    expect(why).toContain('uv.lock → package manager uv');
    expect(why).toContain("requires-python '>=3.12' → Python 3.12");
    expect(facts.notes).toEqual([]);
  });

  it('python-poetry: poetry.lock, python from [tool.poetry.dependencies], pytest from the dev group', () => {
    const facts = detect(fixture('python-poetry'));
    expect(facts.projectName).toBe('ledger');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'ledger',
        path: '.',
        language: 'python',
        version: '3.11',
        packageManager: 'poetry',
        // ledger/app.py reads PORT with the default "5000": the old result (unset, so Python's 8000) was wrong.
        port: 5000,
        commands: { install: 'poetry install --no-interaction', test: 'poetry run pytest' },
      },
    ]);
    const why = reasonsOf(facts.services[0]);
    expect(why).toContain('poetry.lock → package manager poetry');
    expect(why).toContain("python '^3.11' → Python 3.11");
    // Flask without gunicorn: its development server is no production entry point, so no start.
    expect(facts.notes).toEqual([
      "flask without gunicorn: Flask's built-in server is for development; add gunicorn; set services[].start in devops.yaml (the seeded Dockerfile stops with a message until it is set)",
    ]);
  });

  it('go-svc: go.mod module name and go directive', () => {
    const facts = detect(fixture('go-svc'));
    expect(facts.projectName).toBe('inventory');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'inventory',
        path: '.',
        language: 'go',
        version: '1.23',
        packageManager: 'go',
        port: 8080,
        commands: { install: 'go mod download', lint: 'go vet ./...', test: 'go test ./...', build: 'go build ./...' },
      },
    ]);
    expect(reasonsOf(facts.services[0])).toContain("go.mod 'go 1.23' → Go 1.23");
    expect(reasonsOf(facts.services[0])).toContain('port 8080: main.go:27 `port = "8080"`');
    expect(facts.notes).toEqual([]);
  });

  it('java-maven: mvnw, <java.version>, server.port from application.properties', () => {
    const facts = detect(fixture('java-maven'));
    expect(facts.projectName).toBe('payments');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'payments',
        path: '.',
        language: 'java',
        version: '21',
        packageManager: 'maven',
        port: 8081,
        commands: {
          install: './mvnw -B dependency:go-offline',
          test: './mvnw -B verify',
          build: './mvnw -B -DskipTests package',
        },
      },
    ]);
    const why = reasonsOf(facts.services[0]);
    expect(why).toContain('<java.version> → Java 21');
    expect(why).toContain('port 8081: src/main/resources/application.properties:2 `server.port=8081`');
  });

  it('java-gradle: toolchain version, rootProject.name, no wrapper → gradle', () => {
    const facts = detect(fixture('java-gradle'));
    expect(facts.projectName).toBe('catalog');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'catalog',
        path: '.',
        language: 'java',
        version: '17',
        packageManager: 'gradle',
        commands: { install: 'gradle dependencies', test: 'gradle test', build: 'gradle build -x test' },
      },
    ]);
    expect(reasonsOf(facts.services[0])).toContain('JavaLanguageVersion.of → Java 17');
    expect(facts.notes.join('\n')).toContain('no gradlew wrapper');
  });

  it('monorepo-pnpm: workspace apps plus a Go service found by folder; libraries left out', () => {
    const facts = detect(fixture('monorepo-pnpm'));
    expect(facts.projectName).toBe('shop-monorepo');
    expect(facts.monorepo).toBe('pnpm-workspaces');
    expect(facts.services.map(core)).toEqual([
      {
        name: 'web-api',
        path: 'apps/web-api',
        language: 'node',
        version: '20',
        packageManager: 'pnpm',
        port: 3000,
        workspaceRoot: '.',
        commands: { install: 'pnpm install --frozen-lockfile', test: 'pnpm run test', lint: 'pnpm run lint' },
        start: 'node src/server.js',
      },
      {
        name: 'worker',
        path: 'apps/worker',
        language: 'node',
        version: '20',
        packageManager: 'pnpm',
        workspaceRoot: '.',
        commands: { install: 'pnpm install --frozen-lockfile' },
        start: 'node src/worker.js',
      },
      {
        name: 'inventory',
        path: 'services/inventory',
        language: 'go',
        version: '1.23',
        packageManager: 'go',
        port: 8080,
        dockerfile: 'services/inventory/Dockerfile',
        commands: { install: 'go mod download', lint: 'go vet ./...', test: 'go test ./...', build: 'go build ./...' },
      },
    ]);
    const web = reasonsOf(facts.services[0]);
    expect(web).toContain('pnpm-lock.yaml → package manager pnpm');
    expect(web).toContain('workspace member: install runs at the repository root');
    expect(web).toContain('.nvmrc → Node 20');
    expect(web).toContain('port 3000: apps/web-api/src/server.js:15 `process.env.PORT ?? 3000`');
    expect(reasonsOf(facts.services[2])).toContain('port 8080: services/inventory/Dockerfile:10 `EXPOSE 8080`');
    expect(facts.notes).toEqual([
      'packages/shared-utils: library (under packages/ with no start script and no Dockerfile); not a deployable service',
    ]);
  });

  it('existing-ci: yarn berry, engines range, existing Dockerfile and workflow', () => {
    const facts = detect(fixture('existing-ci'));
    expect(facts.projectName).toBe('storefront');
    expect(facts.existingWorkflows).toEqual(['.github/workflows/ci.yml']);
    expect(facts.services.map(core)).toEqual([
      {
        name: 'storefront',
        path: '.',
        language: 'node',
        version: '20',
        packageManager: 'yarn',
        port: 8080,
        dockerfile: 'Dockerfile',
        commands: { install: 'yarn install --immutable', test: 'yarn test', lint: 'yarn lint' },
      },
    ]);
    const why = reasonsOf(facts.services[0]);
    expect(why).toContain('yarn.lock → package manager yarn');
    expect(why).toContain("engines.node '^20.11.0 || >=22' → Node 20");
    expect(why).toContain('port 8080: Dockerfile:8 `EXPOSE 8080`');
    // The existing Dockerfile has its own CMD: no start is detected (nor asked for).
    expect(facts.services[0]!.start).toBeUndefined();
    expect(facts.notes.join('\n')).not.toMatch(/start/);
  });
});
