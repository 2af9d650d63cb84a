import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveWorkflow } from './workflow-rules.js';
import { computeTree } from '../../../src/tree/compute.js';
import { ciPractice } from '../../../src/practices/ci/index.js';
import { UsageError } from '../../../src/errors.js';
import { KUSTOMIZE_VERSION } from '../../../src/practices/gitops/names.js';
import { makeSpec } from '../../helpers/spec.js';
import { formatFindings, lintWorkflow } from '../../validators/actionlint.js';
import { CI_CASES, renderCi } from './cases.js';
import { GITLAB_CASES } from './gitlab-cases.js';

type Obj = Record<string, any>;
const render = (name: keyof typeof CI_CASES) => renderCi(CI_CASES[name]!);
/** A service workflow as it runs (calls of the shared workflows expanded); any other file as parsed. */
const wf = (record: Record<string, string>, path: string): Obj => (/\/ci-[^/]+\.yml$/.test(path) ? resolveWorkflow(record, path) : (parse(record[path]!) as Obj));
const stepUsing = (job: Obj, action: string): Obj | undefined =>
  (job['steps'] as Obj[]).find((s) => typeof s['uses'] === 'string' && s['uses'].startsWith(`${action}@`));
const stepsRunning = (job: Obj): string[] => (job['steps'] as Obj[]).filter((s) => s['run']).map((s) => s['run'] as string);

describe('service workflow', () => {
  const record = render('node-npm');
  const ci = wf(record, '.github/workflows/ci-api.yml');

  it('runs on pushes to the default branch and on pull requests, without path filters for a root service', () => {
    expect(ci['on']).toEqual({ push: { branches: ['main'] }, pull_request: null });
  });

  it('cancels superseded PR runs but never a run on the default branch; pushes get one group per commit (issue 9 #7)', () => {
    // A workflow-level group per ref would let a run waiting for the staging approval hold every
    // later push to main: pushes are keyed by SHA, pull requests by ref.
    expect(ci['concurrency']).toEqual({
      group: "${{ github.workflow }}-${{ github.event_name == 'push' && github.sha || github.ref }}",
      'cancel-in-progress': "${{ github.ref != 'refs/heads/main' }}",
    });
  });

  it('lint and test run in parallel with their timeouts; the image waits for both', () => {
    expect(ci['jobs']['lint']['timeout-minutes']).toBe(10);
    expect(ci['jobs']['test']['timeout-minutes']).toBe(15);
    expect(ci['jobs']['lint']['needs']).toBeUndefined();
    expect(ci['jobs']['image']['needs']).toEqual(['lint', 'test']);
    // In the files: the caller's image job waits for its checks job (both called jobs).
    expect((parse(record['.github/workflows/ci-api.yml']!) as Obj)['jobs']['image']['needs']).toEqual(['checks']);
    expect(ci['jobs']['image']['timeout-minutes']).toBe(15);
  });

  it('sets up Node with the npm cache keyed on the lockfile', () => {
    expect(stepUsing(ci['jobs']['test'], 'actions/setup-node')!['with']).toEqual({
      'node-version': '22', cache: 'npm', 'cache-dependency-path': 'package-lock.json',
    });
  });

  it('the scanner runs read-only; only the publish job can push and sign, and it runs no scanner (issue 9 #14)', () => {
    // Called jobs narrow what their caller grants; the checks only read.
    for (const id of ['lint', 'test']) expect(ci['jobs'][id]['permissions']).toEqual({ contents: 'read' });
    expect(ci['jobs']['image']['permissions']).toEqual({ contents: 'read' });
    expect(ci['jobs']['scan-report']['permissions']).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    expect(ci['jobs']['publish']['permissions']).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' });
    for (const [id, job] of Object.entries(ci['jobs'] as Obj)) {
      const scans = (job['steps'] as Obj[]).some((s) => String(s['uses'] ?? '').startsWith('aquasecurity/trivy-action@'));
      const writes = Object.entries(job['permissions'] ?? {}).some(([k, v]) => v === 'write' && ['id-token', 'packages', 'attestations', 'contents'].includes(k));
      expect(scans && writes, `job ${id} runs a scanner with write scopes`).toBe(false);
    }
  });

  it('publish pushes the archive the image job scanned: same artifact, checksum verified, digest preserved', () => {
    const image = ci['jobs']['image'];
    const publish = ci['jobs']['publish'];
    expect(image['outputs']['archive-sha256']).toBe('${{ steps.archive.outputs.sha256 }}');
    const upload = (image['steps'] as Obj[]).find((s) => s['uses']?.startsWith('actions/upload-artifact@') && s['with']['name'] === 'image-api')!;
    const download = stepUsing(publish, 'actions/download-artifact')!;
    expect(download['with']['name']).toBe('image-api');
    expect(upload['with']['path']).toContain('${{ runner.temp }}/image.tar');
    const verify = (publish['steps'] as Obj[]).find((s) => String(s['run'] ?? '').includes('sha256sum --check'))!;
    expect(verify['env']).toEqual({ EXPECTED: '${{ needs.image.outputs.archive-sha256 }}' });
    const steps = publish['steps'] as Obj[];
    const push = steps.findIndex((s) => s['id'] === 'push');
    expect(steps.indexOf(verify)).toBeLessThan(push);
    expect(steps[push]!['run']).toContain('skopeo copy --preserve-digests');
    expect(steps[push]!['run']).toContain('"oci-archive:$RUNNER_TEMP/image/image.tar"');
    expect(publish['needs']).toBe('image');
    expect(publish['if']).toBe("github.event_name == 'push'");
  });

  it('scans the built archive: Trivy fails the job, SARIF is uploaded by its own job regardless', () => {
    const steps = ci['jobs']['image']['steps'] as Obj[];
    const trivy = steps.findIndex((s) => s['uses']?.startsWith('aquasecurity/trivy-action@'));
    const build = steps.findIndex((s) => s['id'] === 'build');
    expect(build).toBeLessThan(trivy);
    expect(steps[build]!['with']).toMatchObject({
      push: false, outputs: 'type=oci,dest=${{ runner.temp }}/image.tar', 'cache-from': 'type=gha,scope=api', file: 'Dockerfile', context: '.',
    });
    expect(steps[trivy]!['with']).toMatchObject({
      input: '${{ runner.temp }}/image-layout', severity: 'CRITICAL,HIGH', 'ignore-unfixed': true, 'exit-code': '1', format: 'sarif', 'limit-severities-for-sarif': true,
    });
    const report = ci['jobs']['scan-report'];
    expect(report['if']).toMatch(/^always\(\)/);
    expect(stepUsing(report, 'github/codeql-action/upload-sarif')!['with']).toEqual({ sarif_file: 'trivy-api.sarif', category: 'trivy-api' });
  });

  it('tags images immutably and exposes the digest', () => {
    const meta = stepUsing(ci['jobs']['image'], 'docker/metadata-action')!;
    expect(meta['with']['images']).toBe('ghcr.io/acme/shop/api');
    const push = (ci['jobs']['publish']['steps'] as Obj[]).find((s) => s['id'] === 'push')!;
    expect(push['run']).toContain('"docker://$IMAGE:sha-$GITHUB_SHA"');
    expect(ci['jobs']['publish']['outputs']).toEqual({ digest: '${{ steps.push.outputs.digest }}' });
  });

  it('signs the pushed digest with cosign through env, not expressions in the script', () => {
    const sign = (ci['jobs']['publish']['steps'] as Obj[]).find((s) => String(s['run'] ?? '').includes('cosign sign'))!;
    expect(sign['run']).toContain('cosign sign --yes "${IMAGE}@${DIGEST}"');
    expect(sign['run']).toContain('cosign attest --yes --type cyclonedx');
    expect(sign['env']).toEqual({ IMAGE: 'ghcr.io/acme/shop/api', DIGEST: '${{ steps.push.outputs.digest }}' });
  });

  it('has no deploy job without gitops', () => {
    expect(Object.keys(ci['jobs'])).toEqual(['lint', 'test', 'image', 'scan-report', 'publish']);
  });
});

describe('stacks', () => {
  it('skips the lint job when there is no lint command', () => {
    const ci = wf(render('bun'), '.github/workflows/ci-edge.yml');
    expect(Object.keys(ci['jobs'])).toEqual(['test', 'image', 'scan-report', 'publish']);
    expect(ci['jobs']['image']['needs']).toEqual(['test']);
    expect(stepUsing(ci['jobs']['test'], 'oven-sh/setup-bun')).toBeDefined();
  });

  it('pnpm workspace member: pnpm before setup-node, install at the root, image built from the root', () => {
    const ci = wf(render('node-pnpm-workspace-member'), '.github/workflows/ci-web.yml');
    const steps = ci['jobs']['test']['steps'] as Obj[];
    const pnpm = steps.findIndex((s) => s['uses']?.startsWith('pnpm/action-setup@'));
    const node = steps.findIndex((s) => s['uses']?.startsWith('actions/setup-node@'));
    expect(pnpm).toBeGreaterThan(0);
    expect(pnpm).toBeLessThan(node);
    expect(steps[node]!['with']).toMatchObject({ cache: 'pnpm', 'cache-dependency-path': 'pnpm-lock.yaml' });
    expect(steps.find((s) => s['name'] === 'Install dependencies')).toMatchObject({ 'working-directory': '.', run: 'pnpm install --frozen-lockfile' });
    expect(ci['jobs']['test']['defaults']).toEqual({ run: { 'working-directory': 'apps/web' } });
    expect(ci['on']['pull_request']['paths']).toEqual([
      'apps/web/**', '.github/workflows/ci-web.yml', '.github/workflows/_checks-node-pnpm.yml', '.github/workflows/_image.yml', 'package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml',
    ]);
    expect(stepUsing(ci['jobs']['image'], 'docker/build-push-action')!['with']).toMatchObject({ context: '.', file: 'apps/web/Dockerfile' });
  });

  it('yarn enables corepack before setup-node caches', () => {
    const steps = wf(render('node-yarn'), '.github/workflows/ci-api.yml')['jobs']['test']['steps'] as Obj[];
    expect(steps.findIndex((s) => s['run'] === 'corepack enable')).toBeLessThan(steps.findIndex((s) => s['uses']?.startsWith('actions/setup-node@')));
  });

  it('uv uses setup-uv with its cache; poetry is installed before setup-python caches it; pip caches requirements', () => {
    expect(stepUsing(wf(render('python-uv'), '.github/workflows/ci-api.yml')['jobs']['test'], 'astral-sh/setup-uv')!['with']).toEqual({
      'python-version': '3.12', 'enable-cache': true, 'cache-dependency-glob': 'uv.lock',
    });
    const poetrySteps = wf(render('python-poetry'), '.github/workflows/ci-api.yml')['jobs']['test']['steps'] as Obj[];
    const pipx = poetrySteps.findIndex((s) => s['run'] === 'pipx install poetry');
    const setup = poetrySteps.findIndex((s) => s['uses']?.startsWith('actions/setup-python@'));
    expect(pipx).toBeGreaterThan(0);
    expect(pipx).toBeLessThan(setup);
    expect(poetrySteps[setup]!['with']).toEqual({ 'python-version': '3.13', cache: 'poetry', 'cache-dependency-path': 'backend/poetry.lock' });
    expect(stepUsing(wf(render('python-pip'), '.github/workflows/ci-api.yml')['jobs']['test'], 'actions/setup-python')!['with']).toMatchObject({ cache: 'pip' });
  });

  it('Go keys its cache on go.* (go.sum, or go.mod alone for a module without dependencies); Java uses Temurin with the build tool cache', () => {
    expect(stepUsing(wf(render('go'), '.github/workflows/ci-api.yml')['jobs']['test'], 'actions/setup-go')!['with']).toEqual({
      'go-version': '1.25', 'cache-dependency-path': 'go.*',
    });
    // A service in a sub-folder hashes its own module files, not the root's.
    expect(stepUsing(wf(render('monorepo'), '.github/workflows/ci-worker.yml')['jobs']['test'], 'actions/setup-go')!['with']).toMatchObject({
      'cache-dependency-path': 'services/worker/go.*',
    });
    expect(stepUsing(wf(render('java-maven'), '.github/workflows/ci-api.yml')['jobs']['test'], 'actions/setup-java')!['with']).toMatchObject({
      distribution: 'temurin', 'java-version': '21', cache: 'maven',
    });
    expect(stepUsing(wf(render('java-gradle'), '.github/workflows/ci-api.yml')['jobs']['test'], 'actions/setup-java')!['with']).toMatchObject({
      'java-version': '17', cache: 'gradle',
    });
  });

  it('monorepo: every service filters on its own folder', () => {
    const record = render('monorepo');
    expect(wf(record, '.github/workflows/ci-worker.yml')['on']['push']['paths']).toEqual(['services/worker/**', '.github/workflows/ci-worker.yml', '.github/workflows/_checks-go.yml', '.github/workflows/_image.yml']);
    expect(wf(record, '.github/workflows/ci-admin.yml')['jobs']['image']['needs']).toEqual(['test']);
  });
});

describe('registries (OIDC only, no stored keys)', () => {
  const image = (name: keyof typeof CI_CASES) => wf(render(name), '.github/workflows/ci-api.yml')['jobs']['publish'];

  it('ECR assumes a role, then logs in; no packages: write', () => {
    const job = image('registry-ecr');
    expect(stepUsing(job, 'aws-actions/configure-aws-credentials')!['with']).toEqual({
      'role-to-assume': 'arn:aws:iam::123456789012:role/gha-push', 'aws-region': 'eu-west-1',
    });
    expect(stepUsing(job, 'aws-actions/amazon-ecr-login')).toBeDefined();
    expect(job['permissions']['packages']).toBeUndefined();
    expect((job['steps'] as Obj[]).find((s) => s['id'] === 'push')!['env']).toEqual({ IMAGE: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api' });
  });

  it('GAR exchanges a workload identity for an access token used by docker login', () => {
    const job = image('registry-gar');
    const auth = stepUsing(job, 'google-github-actions/auth')!;
    expect(auth['id']).toBe('auth');
    expect(auth['with']).toMatchObject({ token_format: 'access_token' });
    expect(stepUsing(job, 'docker/login-action')!['with']).toEqual({
      registry: 'europe-west1-docker.pkg.dev', username: 'oauth2accesstoken', password: '${{ steps.auth.outputs.access_token }}',
    });
  });

  it('ACR logs in with a federated credential, then az acr login reads the name from env', () => {
    const job = image('registry-acr');
    expect(Object.keys(stepUsing(job, 'azure/login')!['with']).sort()).toEqual(['client-id', 'subscription-id', 'tenant-id']);
    const acr = (job['steps'] as Obj[]).find((s) => String(s['run'] ?? '').startsWith('az acr login'))!;
    expect(acr['env']).toEqual({ ACR_NAME: 'acmeshop' });
  });

  it('refuses ECR/GAR/ACR without their settings', () => {
    for (const registry of ['ecr', 'gar', 'acr']) {
      expect(() => computeTree(makeSpec({ ci: { registry } }))).toThrow(UsageError);
    }
  });

  it('attestation signing pushes a provenance attestation and asks for attestations: write', () => {
    const job = image('signing-attestation');
    expect(job['permissions']).toMatchObject({ attestations: 'write', 'id-token': 'write' });
    expect(stepUsing(job, 'actions/attest-build-provenance')!['with']).toEqual({
      'subject-name': 'ghcr.io/acme/shop/api', 'subject-digest': '${{ steps.push.outputs.digest }}', 'push-to-registry': true,
    });
    expect(stepUsing(job, 'sigstore/cosign-installer')).toBeUndefined();
  });
});

describe('staging promotion (gitops)', () => {
  const editStep = (job: Obj): Obj => (job['steps'] as Obj[]).find((s) => String(s['run'] ?? '').includes('kustomize edit set image'))!;

  it('pull-request mode: a PR with GITHUB_TOKEN, pushes to the default branch only, after the image', () => {
    const ci = wf(render('gitops-pull-request'), '.github/workflows/ci-api.yml');
    const job = ci['jobs']['promote-staging'];
    // After the whole image workflow (its publish job outputs the digest).
    expect(job).toMatchObject({ needs: ['image', 'scan-report', 'publish'], environment: 'staging', permissions: { contents: 'write', 'pull-requests': 'write' } });
    expect(job['if']).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    // Queued, never cancelled half-way; its own group and branch namespace (production uses promote/<svc>).
    expect(job['concurrency']).toEqual({ group: 'ci-promote-staging-api', 'cancel-in-progress': false });
    const edit = editStep(job);
    expect(edit['working-directory']).toBe('deploy/api/overlays/staging');
    expect(edit['env']).toEqual({ IMAGE: 'ghcr.io/acme/shop/api', DIGEST: '${{ needs.image.outputs.digest }}' });
    expect((parse(render('gitops-pull-request')['.github/workflows/_image.yml']!) as Obj)['on']['workflow_call']['outputs']['digest']['value']).toBe('${{ jobs.publish.outputs.digest }}');
    expect(edit['run']).toBe('set -euo pipefail\nkustomize edit set image "${IMAGE}=${IMAGE}@${DIGEST}"\nkustomize build . > /dev/null\n');
    // Real kustomize, at the version the gitops practice writes the overlays for.
    expect(stepUsing(job, 'imranismail/setup-kustomize')!['with']).toEqual({ 'kustomize-version': KUSTOMIZE_VERSION });
    const pr = stepUsing(job, 'peter-evans/create-pull-request')!['with'];
    expect(pr['token']).toBeUndefined();
    expect(pr).toMatchObject({ branch: 'promote-staging/api', 'add-paths': 'deploy/api/overlays/staging/kustomization.yaml' });
    // A merged promotion must not trigger the next build of a root service.
    expect(ci['on']['push']['paths-ignore']).toEqual(['deploy/**']);
  });

  it('app-token mode mints a GitHub App token like the promote workflow, so the PR\'s checks run; GITHUB_TOKEN stays read-only', async () => {
    const record = renderCi(CI_CASES['gitops-app-token']!);
    const text = record['.github/workflows/_promote-staging.yml']!;
    const job = (parse(text) as Obj)['jobs']['promote-staging'];
    // The caller grants the called job no more than it asks for, and passes the one secret by name.
    expect((parse(record['.github/workflows/ci-api.yml']!) as Obj)['jobs']['promote-staging']['permissions']).toEqual({ contents: 'read' });
    expect(job['permissions']).toEqual({ contents: 'read' });
    expect(stepUsing(job, 'actions/create-github-app-token')).toMatchObject({
      id: 'app-token',
      with: { 'client-id': '${{ vars.PROMOTION_APP_CLIENT_ID }}', 'private-key': '${{ secrets.PROMOTION_APP_PRIVATE_KEY }}' },
    });
    expect(stepUsing(job, 'peter-evans/create-pull-request')!['with']['token']).toBe('${{ steps.app-token.outputs.token }}');
    expect(text).not.toMatch(/PROMOTION_TOKEN/);
    expect(text).toMatch(/GITHUB_TOKEN do not trigger workflows/);
    expect(formatFindings('_promote-staging.yml', await lintWorkflow(text, '.github/workflows/_promote-staging.yml'))).toEqual([]);
  });

  it('a GitOps folder inside the service folder is excluded with a negative path (a trailing slash is ignored)', () => {
    const ci = wf(render('gitops-dir-in-service'), '.github/workflows/ci-api.yml');
    for (const event of ['push', 'pull_request']) {
      expect(ci['on'][event]['paths']).toEqual(['app/**', '.github/workflows/ci-api.yml', '.github/workflows/_checks-node-npm.yml', '.github/workflows/_image.yml', '!app/deploy/**']);
      expect(ci['on'][event]['paths-ignore']).toBeUndefined();
    }
    expect(editStep(ci['jobs']['promote-staging'])['working-directory']).toBe('app/deploy/api/overlays/staging');
  });

  it('a monorepo service elsewhere needs no GitOps exclusion: its path filter already leaves the folder out', () => {
    const ci = wf(render('gitops-previews-monorepo'), '.github/workflows/ci-web.yml');
    expect(ci['on']['push']['paths']).toEqual(['services/web/**', '.github/workflows/ci-web.yml', '.github/workflows/_checks-node-npm.yml', '.github/workflows/_image.yml']);
  });
});

describe('security.yml', () => {
  const sec = wf(render('node-npm'), '.github/workflows/security.yml');

  it('scans secrets with the MIT gitleaks CLI over full history, on PRs, pushes and weekly', () => {
    expect(Object.keys(sec['on'])).toEqual(['pull_request', 'push', 'schedule']);
    const job = sec['jobs']['secrets'];
    expect(stepUsing(job, 'actions/checkout')!['with']).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    expect(stepUsing(job, 'gitleaks/gitleaks-action')).toBeUndefined();
    const scan = (job['steps'] as Obj[]).find((s) => s['run'])!;
    expect(scan['env']['GITLEAKS_IMAGE']).toMatch(/^ghcr\.io\/gitleaks\/gitleaks:v8\.\d+\.\d+$/);
    expect(scan['run']).toMatch(/docker run --rm -v "\$\{PWD\}:\/repo:ro" "\$GITLEAKS_IMAGE" \\\n\s+git \/repo --redact --no-banner --exit-code 1/);
  });

  it('reviews dependencies on pull requests, failing on high severity', () => {
    const job = sec['jobs']['dependencies'];
    expect(job['if']).toBe("github.event_name == 'pull_request'");
    expect(stepUsing(job, 'actions/dependency-review-action')!['with']).toEqual({ 'fail-on-severity': 'high' });
    expect(job['permissions']).toBeUndefined();
  });
});

describe('devops-check.yml', () => {
  it('runs the same devops-init version with Node 22, read-only, in 5 minutes', async () => {
    const { toolVersion } = await import('../../../src/version.js');
    const check = wf(render('node-npm'), '.github/workflows/devops-check.yml');
    const job = check['jobs']['check'];
    expect(job['timeout-minutes']).toBe(5);
    expect(stepUsing(job, 'actions/setup-node')!['with']).toEqual({ 'node-version': '22' });
    const step = (job['steps'] as Obj[]).find((s) => s['run'])!;
    expect(step['env']).toEqual({ DEVOPS_INIT_VERSION: toolVersion() });
    expect(stepsRunning(job)).toHaveLength(1);
    expect(render('node-npm')['.github/workflows/devops-check.yml']).not.toMatch(/secrets\./);
  });

  /**
   * Runs the generated script for real (sh, node) in a scratch repository, with npm, npx, pnpm
   * and corepack replaced by stubs that log their arguments: which devops-init would run.
   */
  function runCheck(files: Record<string, string>): string[] {
    const script = stepsRunning(wf(render('node-npm'), '.github/workflows/devops-check.yml')['jobs']['check'])[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'devops-check-'));
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    for (const tool of ['npm', 'npx', 'pnpm', 'corepack']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${join(dir, 'calls.log')}"\n`, { mode: 0o755 });
    }
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    execFileSync('sh', ['-c', script], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, DEVOPS_INIT_VERSION: '9.9.9' } });
    const log = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
    rmSync(dir, { recursive: true, force: true });
    return log;
  }

  it('runs the lockfile-verified copy when the root package.json has devops-init and a lockfile pins it (issue 9 #2)', () => {
    const pkg = JSON.stringify({ devDependencies: { 'devops-init': '^9.9.9' } });
    expect(runCheck({ 'package.json': pkg, 'package-lock.json': '{}' })).toEqual(['npm ci --ignore-scripts', 'npx --no-install devops-init check']);
    expect(runCheck({ 'package.json': JSON.stringify({ dependencies: { 'devops-init': '9.9.9' } }), 'pnpm-lock.yaml': '' })).toEqual([
      'corepack enable', 'pnpm install --frozen-lockfile --ignore-scripts', 'pnpm exec devops-init check',
    ]);
  });

  it('otherwise runs the exact version that wrote the files, never a range', () => {
    const exact = ['npx --yes devops-init@9.9.9 check'];
    expect(runCheck({})).toEqual(exact);
    // Listed but not locked: nothing verifies what npm would resolve, so the exact version wins.
    expect(runCheck({ 'package.json': JSON.stringify({ devDependencies: { 'devops-init': '^9.9.9' } }) })).toEqual(exact);
    expect(runCheck({ 'package.json': JSON.stringify({ devDependencies: { other: '1' } }), 'package-lock.json': '{}' })).toEqual(exact);
  });

  it('GitLab runs the same script', () => {
    const text = renderCi(GITLAB_CASES['node-npm']!)['.gitlab/ci/devops-check.yml'] ?? '';
    const gitlab = (parse(text) as Obj)['devops-check'];
    const github = stepsRunning(wf(render('node-npm'), '.github/workflows/devops-check.yml')['jobs']['check'])[0]!;
    expect(`${gitlab['script'][0]}\n`).toBe(github);
    expect(gitlab['variables']).toEqual({ DEVOPS_INIT_VERSION: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe('hostile commands', () => {
  const hostile = 'echo "${{ github.event.issue.title }}"; rm -rf /';

  it('refuses a command containing ${{ (Actions would expand it inside run:)', () => {
    const spec = makeSpec({ services: [{ name: 'api', path: '.', language: 'node', commands: { test: hostile } }] });
    expect(() => computeTree(spec)).toThrow(UsageError);
    expect(() => computeTree(spec)).toThrow(/services\.api\.commands\.test contains "\$\{\{"/);
  });

  it('keeps every other character of a command as data: the parsed run equals the command', () => {
    const command = `npm test -- --grep "it's \\"quoted\\"" $HOME #not-a-comment: {x: [1]}`;
    const spec = makeSpec({ services: [{ name: 'api', path: '.', language: 'node', commands: { test: command } }] });
    const job = wf(renderCi(spec), '.github/workflows/ci-api.yml')['jobs']['test'];
    expect(stepsRunning(job)).toContain(command);
  });
});

describe('questions', () => {
  const [provider, registry, signing] = ciPractice.questions;

  it('asks where CI runs, for the registry and the signing method, with flags and defaults', () => {
    const spec = makeSpec();
    expect(provider).toMatchObject({ id: 'ciProvider', flag: '--ci-provider <provider>', kind: 'select' });
    expect(provider!.choices!.map((c) => c.value)).toEqual(['github', 'gitlab']);
    expect(provider!.default(spec, {})).toBe('github');
    expect(provider!.default(makeSpec({ ci: { provider: 'gitlab' } }), {})).toBe('gitlab');
    expect(provider!.apply(spec, 'gitlab')).toEqual([{ path: ['ci', 'provider'], value: 'gitlab' }]);
    expect(registry).toMatchObject({ id: 'registry', flag: '--registry <registry>', kind: 'select' });
    expect(registry!.choices!.map((c) => c.value)).toEqual(['ghcr', 'gitlab', 'ecr', 'gar', 'acr']);
    expect(registry!.default(spec, {})).toBe('ghcr');
    expect(registry!.default(makeSpec({ ci: { provider: 'gitlab' } }), {})).toBe('gitlab');
    expect(registry!.validate!('dockerhub')).toMatch(/ghcr, gitlab, ecr, gar, acr/);
    expect(registry!.apply(spec, 'ecr')).toEqual([{ path: ['ci', 'registry'], value: 'ecr' }]);
    expect(signing).toMatchObject({ id: 'signing', flag: '--signing <method>' });
    expect(signing!.default(spec, {})).toBe('cosign');
    expect(signing!.validate!('attestation')).toBeUndefined();
    expect(signing!.apply(spec, 'attestation')).toEqual([{ path: ['ci', 'signing'], value: 'attestation' }]);
  });
});
