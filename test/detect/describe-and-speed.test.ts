import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFacts, detect } from '../../src/detect/index.js';
import { goMain, json, repoWith } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('describeFacts', () => {
  it('one readable line per service plus layout, workflows and notes', () => {
    expect(describeFacts(detect(fixture('monorepo-pnpm')))).toEqual([
      'project: shop-monorepo',
      'layout: pnpm workspaces',
      'apps/web-api: Node 20 (pnpm), pnpm run test, port 3000, runs `node src/server.js`, no Dockerfile yet',
      'apps/worker: Node 20 (pnpm), no test command, runs `node src/worker.js`, no Dockerfile yet',
      'services/inventory: Go 1.23 (go.mod), go test ./..., port 8080, existing Dockerfile',
      'note: packages/shared-utils: library (under packages/ with no start script and no Dockerfile); not a deployable service',
    ]);
    expect(describeFacts(detect(fixture('existing-ci')))).toEqual([
      'project: storefront',
      'storefront (repository root): Node 20 (yarn), yarn test, port 8080, existing Dockerfile',
      'existing workflows: .github/workflows/ci.yml',
    ]);
  });

  it('names the repository, the branch, unknown versions and renamed services', () => {
    const lines = describeFacts({
      root: '/x',
      projectName: 'shop',
      repository: 'acme/shop',
      defaultBranch: 'main',
      services: [
        { name: 'api-billing', path: 'billing/api', language: 'java', packageManager: 'gradle', commands: { install: 'gradle dependencies' }, reasons: [] },
      ],
      existingWorkflows: [],
      notes: [],
    });
    expect(lines).toEqual([
      'project: shop (acme/shop, default branch main)',
      'billing/api [service api-billing]: Java (version unknown) (Gradle), no test command, no Dockerfile yet',
    ]);
  });
});

describe('speed', () => {
  it('a 50-service pnpm monorepo is detected well under 100 ms', () => {
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
    detect(root); // warm up the JIT; the page cache is warm after writing anyway
    const runs = [0, 1, 2].map(() => {
      const t = performance.now();
      const facts = detect(root);
      expect(facts.services).toHaveLength(50);
      return performance.now() - t;
    });
    expect(Math.min(...runs)).toBeLessThan(100);
  });
});
