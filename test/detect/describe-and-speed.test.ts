import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFacts, detect } from '../../src/detect/index.js';
import { goMain, json, repoWith } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('describeFacts', () => {
  it('a summary line per service, then each fact with its evidence; guesses listed at the end with the fix', () => {
    const lines = describeFacts(detect(fixture('monorepo-pnpm')));
    expect(lines.slice(0, 3)).toEqual([
      'project: shop-monorepo',
      'layout: pnpm workspaces',
      'apps/web-api: Node 20 (pnpm), pnpm run test, port 3000, runs `node src/server.js`, no Dockerfile yet',
    ]);
    expect(lines).toContain('    port: 3000 — apps/web-api/src/server.js:15 `process.env.PORT ?? 3000`');
    expect(lines).toContain('    probes: HTTP GET /healthz on 8080 — services/inventory/main.go:13 `.HandleFunc("GET /healthz"`');
    expect(lines).toContain('    build context: services/inventory — every COPY/ADD source of services/inventory/Dockerfile exists relative to services/inventory (COPY go.mod, COPY .)');
    expect(lines).toContain('not deployed: packages/shared-utils — library: under packages/ with no start script and no Dockerfile');
    const guesses = lines.filter((l) => l.startsWith('guess: '));
    expect(guesses).toEqual([
      'guess: web-api probes = {"type":"tcp","port":3000} (no health route found in the code or config; a TCP probe only proves the port is open) — fix: --health-path web-api=/healthz or services[].healthPath',
      'guess: worker kind = worker (no port anywhere (no EXPOSE, compose ports, framework or listener in the code)) — fix: services[].kind (worker)',
    ]);
    // Guesses come last, after every service, folder and note.
    expect(lines.slice(-guesses.length)).toEqual(guesses);
    expect(describeFacts(detect(fixture('existing-ci'))).slice(0, 2)).toEqual([
      'project: storefront',
      'storefront (repository root): Node 20 (yarn), yarn test, port 8080, existing Dockerfile',
    ]);
  });

  it('names the repository, the branch, unknown versions and renamed services', () => {
    const evidence = {
      name: { value: 'api-billing', source: 'folder billing/api', guess: false },
      language: { value: 'java' as const, source: 'billing/api/build.gradle', guess: false },
      kind: { value: 'web' as const, source: 'x', guess: false },
      commands: {},
      requiredEnv: [],
      testServices: [],
    };
    const lines = describeFacts({
      root: '/x',
      projectName: 'shop',
      projectNameEvidence: { value: 'shop', source: 'origin remote acme/shop', guess: false },
      repository: 'acme/shop',
      defaultBranch: 'main',
      services: [
        { name: 'api-billing', path: 'billing/api', language: 'java', packageManager: 'gradle', commands: { install: 'gradle dependencies' }, evidence, reasons: [] },
      ],
      containerServices: [],
      skipped: [],
      composeFiles: [],
      deployments: [],
      conventions: { lintIgnoreFiles: [] },
      existingWorkflows: [],
      guesses: [],
      notes: [],
    });
    expect(lines.slice(0, 2)).toEqual([
      'project: shop (acme/shop, default branch main)',
      'billing/api [service api-billing]: Java (version unknown) (Gradle), no test command, no Dockerfile yet',
    ]);
  });
});

describe('scale', () => {
  // Timing lives in bench/ (npm run bench: init --yes on 50 and 300 services), not in a test.
  it('a 50-service pnpm monorepo: every service is found', () => {
    const files: Record<string, string> = {
      'package.json': json({ private: true, packageManager: 'pnpm@9.12.0' }),
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      '.nvmrc': '22\n',
    };
    for (let i = 0; i < 40; i++) {
      files[`apps/svc-${i}/package.json`] = json({ name: `svc-${i}`, scripts: { start: 'node .', test: 'vitest', lint: 'eslint .' } });
      files[`apps/svc-${i}/src/index.js`] = 'export {};\n';
      files[`apps/svc-${i}/src/lib/deep/util.js`] = 'export {};\n';
      files[`apps/svc-${i}/Dockerfile`] = 'FROM node:22\nEXPOSE 3000\n';
    }
    for (let i = 0; i < 10; i++) {
      files[`services/go-${i}/go.mod`] = `module example.com/go-${i}\n\ngo 1.23\n`;
      files[`services/go-${i}/main.go`] = goMain;
      files[`packages/lib-${i}/package.json`] = json({ name: `lib-${i}` });
    }
    const root = repoWith(files);
    const facts = detect(root);
    expect(facts.services).toHaveLength(50);
    expect(facts.services.filter((s) => s.language === 'go')).toHaveLength(10);
  });
});
