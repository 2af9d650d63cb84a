import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CI_CASES, renderCi } from './cases.js';
import { callViolations, workflowsOf } from './workflow-rules.js';

type Obj = Record<string, any>;
const wf = (record: Record<string, string>, path: string): Obj => parse(record[path]!) as Obj;

/**
 * Issue 13, item 2 (GitHub): the logic lives in shared reusable workflows; each service's
 * ci-<service>.yml is a thin caller.
 */
describe('shared reusable workflows and thin callers', () => {
  const shop = renderCi(CI_CASES['gitops-pull-request']!);

  it('callers are thin: only calls (plus an inline test job with containers), no steps, and far shorter than the shared logic', () => {
    for (const [path, text] of workflowsOf(shop).filter(([p]) => /\/ci-[^/]+\.yml$/.test(p))) {
      const jobs = wf(shop, path)['jobs'] as Obj;
      for (const [id, job] of Object.entries(jobs)) expect(job['uses'], `${path} ${id}`).toMatch(/^\.\/\.github\/workflows\/_/);
      expect(text.split('\n').length, path).toBeLessThan(90);
    }
    expect(Object.keys(wf(shop, '.github/workflows/ci-api.yml')['jobs'])).toEqual(['checks', 'image', 'promote-staging']);
  });

  it('shared workflows are only called (workflow_call), and every job in them has a timeout of at most 15 minutes on the change path', () => {
    for (const path of ['.github/workflows/_image.yml', '.github/workflows/_checks-node-npm.yml', '.github/workflows/_promote-staging.yml']) {
      const w = wf(shop, path);
      expect(Object.keys(w['on']), path).toEqual(['workflow_call']);
      for (const [id, job] of Object.entries(w['jobs'] as Obj)) {
        expect(job['timeout-minutes'], `${path} ${id}`).toBeTypeOf('number');
        if (!job['environment']) expect(job['timeout-minutes'], `${path} ${id}`).toBeLessThanOrEqual(15);
      }
    }
  });

  it('OIDC only on the job that pushes and signs; the scanner job holds contents: read alone', () => {
    const image = wf(shop, '.github/workflows/_image.yml')['jobs'] as Obj;
    const withIdToken = Object.entries(image).filter(([, j]) => j['permissions']?.['id-token'] === 'write').map(([id]) => id);
    expect(withIdToken).toEqual(['publish']);
    expect(image['image']['permissions']).toEqual({ contents: 'read' });
    for (const path of ['.github/workflows/_checks-node-npm.yml', '.github/workflows/_promote-staging.yml']) {
      expect(JSON.stringify(wf(shop, path))).not.toContain('id-token');
    }
  });

  it('no ${{ }} in any run: script of the shared workflows: values arrive through env', () => {
    for (const [path] of workflowsOf(shop)) {
      for (const [id, job] of Object.entries(wf(shop, path)['jobs'] as Obj)) {
        for (const step of (job['steps'] ?? []) as Obj[]) if (typeof step['run'] === 'string') expect(step['run'], `${path} ${id}`).not.toContain('${{');
      }
    }
    const lint = (wf(shop, '.github/workflows/_checks-node-npm.yml')['jobs']['lint']['steps'] as Obj[]).at(-1)!;
    expect(lint).toMatchObject({ env: { COMMAND: '${{ inputs.lint }}' }, run: 'eval "$COMMAND"' });
  });

  it('the caller passes its values; secrets are never inherited', () => {
    const ci = wf(shop, '.github/workflows/ci-api.yml');
    expect(ci['jobs']['checks']['with']).toMatchObject({ 'working-directory': '.', lint: 'npm run lint', test: 'npm test', install: 'npm ci' });
    expect(ci['jobs']['image']['with']).toEqual({ service: 'api', image: 'ghcr.io/acme/shop/api', context: '.', dockerfile: 'Dockerfile' });
    expect(ci['jobs']['promote-staging']['with']['digest']).toBe('${{ needs.image.outputs.digest }}');
    const app = renderCi(CI_CASES['gitops-app-token']!);
    expect(wf(app, '.github/workflows/ci-api.yml')['jobs']['promote-staging']['secrets']).toEqual({ PROMOTION_APP_PRIVATE_KEY: '${{ secrets.PROMOTION_APP_PRIVATE_KEY }}' });
    for (const [path, text] of [...workflowsOf(shop), ...workflowsOf(app)]) expect(text, path).not.toContain('secrets: inherit');
  });

  it('path filters include the shared checks and image workflows a service calls', () => {
    const record = renderCi(CI_CASES['gitops-previews-monorepo']!);
    const paths = wf(record, '.github/workflows/ci-web.yml')['on']['push']['paths'] as string[];
    expect(paths).toContain('.github/workflows/_image.yml');
    expect(paths.some((p) => /^\.github\/workflows\/_checks-/.test(p))).toBe(true);
  });

  it('writes only the stacks in use', () => {
    const record = renderCi(CI_CASES['gitops-previews-monorepo']!);
    const stacks = Object.keys(record).filter((p) => p.startsWith('.github/workflows/_checks-')).sort();
    const used = [...new Set(Object.values(record).flatMap((t) => [...t.matchAll(/uses: \.\/(\.github\/workflows\/_checks-[a-z-]+\.yml)/g)].map((m) => m[1]!)))].sort();
    expect(stacks).toEqual(used);
  });

  it('the permission contract check fails when a calling job grants less than a called job asks for', () => {
    expect(callViolations(shop)).toEqual([]);
    const broken = { ...shop, '.github/workflows/ci-api.yml': shop['.github/workflows/ci-api.yml']!.replace('      id-token: write\n', '') };
    expect(callViolations(broken)).toEqual([expect.stringContaining('grants id-token: none, but job publish of .github/workflows/_image.yml asks for write')]);
    const unnarrowed = { ...shop, '.github/workflows/_checks-node-npm.yml': shop['.github/workflows/_checks-node-npm.yml']!.replace(/\n    permissions:\n      contents: read\n/, '\n') };
    expect(callViolations(unnarrowed)).toContain('.github/workflows/_checks-node-npm.yml: job lint does not narrow its permissions');
  });
});
