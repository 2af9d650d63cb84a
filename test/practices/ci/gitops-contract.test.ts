import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveWorkflow } from './workflow-rules.js';
import { imageRepository } from '../../../src/practices/ci/image.js';
import type { Service, Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { formatFindings, lintWorkflow } from '../../validators/actionlint.js';
import { kustomizeBuild, parseObjects, writeRecord, type KubeObject } from '../../validators/kustomize.js';
import { extractRunScripts, shellcheckWorkflow, shellcheckWorkflows } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { workflowViolations, workflowsOf } from './workflow-rules.js';

/**
 * Where CI meets the gitops practice: the staging promotion must edit the overlay the
 * gitops practice renders (and the edit must reach the workload), and preview images must
 * carry the tag the preview ApplicationSet deploys. Everything here renders the full tree
 * (ci + gitops, as users get it), not CI alone.
 */

type Obj = Record<string, any>;

const CASES: Record<string, Spec> = {
  'node service': makeSpec({ practices: ['ci', 'gitops'] }),
  'monorepo (node + go)': makeSpec({
    project: { name: 'mono', repository: 'Acme/Mono' },
    practices: ['ci', 'gitops'],
    services: [
      { name: 'web', path: 'services/web', language: 'node', commands: { lint: 'npm run lint', test: 'npm test' } },
      { name: 'worker', path: 'services/worker', language: 'go', commands: { test: 'go test ./...' } },
    ],
  }),
  'canary rollout (deploy practice)': makeSpec({
    practices: ['ci', 'gitops', 'deploy'],
    services: [{ name: 'api', path: '.', language: 'node', commands: { test: 'npm test' }, deploy: { strategy: 'canary' } }],
  }),
};
const render = (spec: Spec): Record<string, string> => computeTree(spec).toRecord();
const workflow = (record: Record<string, string>, path: string): Obj => (/\/ci-[^/]+\.yml$/.test(path) ? resolveWorkflow(record, path) : (parse(record[path]!) as Obj));
const usesAction = (step: Obj, action: string): boolean => typeof step['uses'] === 'string' && step['uses'].startsWith(`${action}@`);
const PREVIEWS = '.github/workflows/previews.yml';
const PREVIEW_APPSET = (spec: Spec) => `${spec.gitops.dir}/argocd/apps/previews.yaml`;

describe.each(Object.entries(CASES))('ci + gitops workflows, %s', (_name, spec) => {
  const record = render(spec);
  const workflows = workflowsOf(record);

  it('include the service workflows, previews and the gitops promote workflow', () => {
    expect(workflows.map(([p]) => p).sort()).toEqual(
      [...spec.services.map((s) => `.github/workflows/ci-${s.name}.yml`), '.github/workflows/devops-check.yml',
        '.github/workflows/promote.yml', PREVIEWS, '.github/workflows/security.yml',
        // The shared workflows the thin callers use: image, staging promotion, one checks workflow per stack.
        '.github/workflows/_image.yml', '.github/workflows/_promote-staging.yml',
        ...new Set(spec.services.map((s) => `.github/workflows/_checks-${s.language === 'go' ? 'go' : 'node-npm'}.yml`))].sort(),
    );
  });

  it('follow the hardening rules and pass actionlint and GitHub’s parser', async () => {
    for (const [path, text] of workflows) {
      expect(workflowViolations(path, text)).toEqual([]);
      expect(formatFindings(path, await lintWorkflow(text, path))).toEqual([]);
      expect(await parseWithGitHub(text, path, record), path).toEqual([]);
    }
  });

  it.runIf(haveTool('shellcheck'))('have shellcheck-clean run: scripts', async () => {
    // One shellcheck process per shell for all the workflows (each script still checked on its own).
    const findings = await shellcheckWorkflows(workflows.map(([, text]) => text), 'info');
    for (const [i, [path]] of workflows.entries()) expect(findings[i], path).toEqual([]);
  });

  it.runIf(haveTool('yamllint'))('pass yamllint', () => {
    expect(yamllintRecord(Object.fromEntries(workflows))).toEqual([]);
  });
});

describe('the validators catch a broken copy of the new workflows', () => {
  const record = render(CASES['monorepo (node + go)']!);
  const previews = record[PREVIEWS]!;
  const ciWeb = record['.github/workflows/_promote-staging.yml']!;

  it('actionlint: a misspelt matrix key', async () => {
    const broken = previews.replace('images: ${{ matrix.image }}', 'images: ${{ matrix.imgae }}');
    expect(broken).not.toBe(previews);
    expect((await lintWorkflow(broken, PREVIEWS)).map((f) => f.message).join('\n')).toMatch(/imgae/);
  });

  it('GitHub’s parser: an unknown pull_request activity type', async () => {
    const broken = previews.replace('types: [opened, synchronize, reopened, labeled]', 'types: [opened, pushed]');
    expect((await parseWithGitHub(broken, PREVIEWS)).join('\n')).toMatch(/pushed/);
  });

  it.runIf(haveTool('shellcheck'))('shellcheck: an unquoted expansion in the promotion script', async () => {
    const broken = ciWeb.replace('kustomize build . > /dev/null', 'kustomize build $OVERLAY > /dev/null');
    expect(broken).not.toBe(ciWeb);
    expect((await shellcheckWorkflow(broken, 'info')).join('\n')).toMatch(/SC2086/);
  });

  it.runIf(haveTool('yamllint'))('yamllint: a duplicated key', () => {
    const broken = previews.replace('    timeout-minutes: 15\n', '    timeout-minutes: 15\n    timeout-minutes: 30\n');
    expect(broken).not.toBe(previews);
    expect(yamllintRecord({ [PREVIEWS]: broken }).join('\n')).toMatch(/duplicat/);
  });
});

/** The staging promotion step of a service workflow, checked to be fed by build-push-action's digest. */
function promotion(record: Record<string, string>, svc: Service) {
  const wf = workflow(record, `.github/workflows/ci-${svc.name}.yml`);
  const push = (wf['jobs']['publish']['steps'] as Obj[]).find((s) => s['id'] === 'push')!;
  expect(push['run']).toContain('skopeo copy --preserve-digests --digestfile');
  expect(wf['jobs']['publish']['outputs']['digest']).toBe('${{ steps.push.outputs.digest }}');
  const job = wf['jobs']['promote-staging'];
  // The caller's promotion waits for the whole image workflow, whose output is publish's digest.
  expect(job['needs']).toEqual(['image', 'scan-report', 'publish']);
  expect((parse(record['.github/workflows/_image.yml']!) as Obj)['on']['workflow_call']['outputs']['digest']['value']).toBe('${{ jobs.publish.outputs.digest }}');
  const steps = job['steps'] as Obj[];
  const edit = steps.find((s) => String(s['run'] ?? '').includes('kustomize edit set image'))!;
  expect(edit['env']['DIGEST']).toBe('${{ needs.image.outputs.digest }}');
  const pr = steps.find((s) => usesAction(s, 'peter-evans/create-pull-request'))!;
  return { edit, addPaths: pr['with']['add-paths'] as string };
}

/** A bin folder whose `kustomize` is the stand-in (standalone kustomize is not installed here). */
function standinBin(dir: string): string {
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  const standin = fileURLToPath(new URL('./kustomize-standin.mjs', import.meta.url));
  writeFileSync(join(bin, 'kustomize'), `#!/bin/sh\nexec node ${JSON.stringify(standin)} "$@"\n`);
  chmodSync(join(bin, 'kustomize'), 0o755);
  return bin;
}

function workloadOf(objects: KubeObject[], name: string): KubeObject | undefined {
  return objects.find((o) => ['Deployment', 'Rollout'].includes(o['kind']) && o['metadata']['name'] === name);
}

/** Run a promotion step's script as the runner would: in its working directory, with its env. */
function runPromotion(dir: string, edit: Obj, digest: string, image?: string) {
  const env = { ...process.env, PATH: `${standinBin(dir)}:${process.env['PATH']}`, IMAGE: image ?? edit['env']['IMAGE'], DIGEST: digest };
  return spawnSync('bash', ['-e', '-c', edit['run']], { cwd: join(dir, edit['working-directory']), env, encoding: 'utf8' });
}

describe.runIf(haveTool('kubectl'))('staging promotion lands in the overlay the gitops practice renders', () => {
  const digest = `sha256:${'5eed'.repeat(16)}`;

  describe.each(Object.entries(CASES))('%s', (_name, spec) => {
    it.each(spec.services.map((s) => [s.name, s] as const))('%s: only its staging kustomization changes, and the workload runs the digest', (_svc, svc) => {
      const record = render(spec);
      const dir = writeRecord(record);
      const { edit, addPaths } = promotion(record, svc);
      expect(edit['working-directory']).toBe(`${spec.gitops.dir}/${svc.name}/overlays/staging`);
      expect(edit['env']['IMAGE']).toBe(imageRepository(spec, svc));

      const r = runPromotion(dir, edit, digest);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);

      // What create-pull-request commits: the changed files must be exactly add-paths.
      const changed = Object.keys(record).filter((p) => readFileSync(join(dir, p), 'utf8') !== record[p]);
      expect(changed).toEqual([addPaths]);
      expect(addPaths).toBe(`${edit['working-directory']}/kustomization.yaml`);

      const built = kustomizeBuild(join(dir, edit['working-directory']));
      expect(built.stderr).toBe('');
      const w = workloadOf(parseObjects(built.stdout), svc.name)!;
      expect(w['kind']).toBe(spec.practices.includes('deploy') ? 'Rollout' : 'Deployment');
      expect(w['spec']['template']['spec']['containers'][0].image).toBe(`${imageRepository(spec, svc)}@${digest}`);
      expect(w['spec']['template']['metadata']['annotations']['app.kubernetes.io/version']).toBe(digest);
      // Production is the promote workflow's: untouched, still on "nothing promoted".
      const prod = kustomizeBuild(join(dir, `${spec.gitops.dir}/${svc.name}/overlays/production`));
      expect(workloadOf(parseObjects(prod.stdout), svc.name)!['spec']['template']['spec']['containers'][0].image).toMatch(/@sha256:0{64}$/);
    });
  });

  it('would catch CI and the overlay disagreeing on the image name (the edit then matches nothing)', () => {
    const spec = CASES['node service']!;
    const record = render(spec);
    const dir = writeRecord(record);
    const { edit } = promotion(record, spec.services[0]!);
    const r = runPromotion(dir, edit, digest, 'ghcr.io/acme/elsewhere/api');
    expect(r.status).toBe(0); // kustomize edit itself does not complain…
    const w = workloadOf(parseObjects(kustomizeBuild(join(dir, edit['working-directory'])).stdout), 'api')!;
    expect(w['spec']['template']['spec']['containers'][0].image).not.toContain(digest); // …but nothing deploys it.
  });
});

/**
 * metadata-action's `type=sha` tag (v6): prefix + the commit SHA, cut to
 * DOCKER_METADATA_SHORT_SHA_LENGTH (default 7) characters for format=short. With
 * DOCKER_METADATA_PR_HEAD_SHA=true the commit is the PR head, else GitHub's merge commit.
 */
function metadataShaTag(tags: string, env: Obj, sha: { head: string; merge: string }): string {
  const rules = tags.trim().split('\n');
  expect(rules).toHaveLength(1);
  const attrs = Object.fromEntries(rules[0]!.split(',').map((kv) => kv.split('=') as [string, string]));
  expect(attrs['type']).toBe('sha');
  const commit = env['DOCKER_METADATA_PR_HEAD_SHA'] === 'true' ? sha.head : sha.merge;
  const length = Number(env['DOCKER_METADATA_SHORT_SHA_LENGTH'] ?? 7);
  const value = (attrs['format'] ?? 'short') === 'long' ? commit : commit.slice(0, length);
  return `${attrs['prefix'] ?? 'sha-'}${value}`;
}

/** Argo CD's pull-request generator variables (head_short_sha is 8 characters, head_short_sha_7 is 7). */
function argoTemplate(text: string, pr: { number: number; head: string }): string {
  const vars: Record<string, string> = {
    number: String(pr.number), head_sha: pr.head, head_short_sha: pr.head.slice(0, 8), head_short_sha_7: pr.head.slice(0, 7),
  };
  return text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, v: string) => {
    if (!(v in vars)) throw new Error(`unknown generator variable ${v}`);
    return vars[v]!;
  });
}

/** What previews.yml pushes for a PR: `<image>:<tag>` per matrix entry of the push job, built from the image job's checked-out ref. */
function previewPushes(previews: string, sha: { head: string; merge: string }) {
  const jobs = (parse(previews) as Obj)['jobs'];
  const job = jobs['push'];
  const steps = job['steps'] as Obj[];
  const meta = steps.find((s) => usesAction(s, 'docker/metadata-action'))!;
  expect(meta['with']['images']).toBe('${{ matrix.image }}');
  const tag = metadataShaTag(meta['with']['tags'], meta['env'] ?? {}, sha);
  const checkout = (jobs['image']['steps'] as Obj[]).find((s) => usesAction(s, 'actions/checkout'))!;
  // The push step copies the scanned archive to every tag metadata-action computed.
  const push = steps.find((s) => String(s['run'] ?? '').includes('skopeo copy'))!;
  expect(push['env']).toEqual({ TAGS: '${{ steps.meta.outputs.tags }}' });
  expect(push['run']).toContain('"docker://$ref"');
  expect(jobs['image']['strategy']['matrix']['include'].map((m: Obj) => [m['service'], m['image']]))
    .toEqual(job['strategy']['matrix']['include'].map((m: Obj) => [m['service'], m['image']]));
  return {
    refs: (job['strategy']['matrix']['include'] as Obj[]).map((m) => `${m['image']}:${tag}`),
    checkoutRef: checkout['with']['ref'] as string,
    job,
  };
}

describe('preview images carry the tag the preview ApplicationSet deploys', () => {
  const spec = CASES['monorepo (node + go)']!;
  const record = render(spec);
  const appset = parseObjects(record[PREVIEW_APPSET(spec)]!)[0]!;
  const sha = { head: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', merge: 'ffffeeee00001111222233334444555566667777' };
  const pr = { number: 42, head: sha.head };

  it('same repositories and the same tag for every service, from the PR head commit', () => {
    const deployed = (appset['spec']['template']['spec']['source']['kustomize']['images'] as string[]).map((i) => argoTemplate(i, pr));
    const { refs, checkoutRef } = previewPushes(record[PREVIEWS]!, sha);
    expect(refs.sort()).toEqual(deployed.sort());
    expect(refs.sort()).toEqual(spec.services.map((s) => `${imageRepository(spec, s)}-preview:sha-${sha.head.slice(0, 7)}`).sort());
    // Issue 9 #6/#12: the preview repository, never the release one.
    for (const s of spec.services) expect(refs.some((r) => r.startsWith(`${imageRepository(spec, s)}:`))).toBe(false);
    // Both sides read the head commit: Argo CD its manifests, CI its code.
    expect(appset['spec']['template']['spec']['source']['targetRevision']).toBe('{{.head_sha}}');
    expect(checkoutRef).toBe('${{ github.event.pull_request.head.sha }}');
  });

  it('would catch a drift of the tag format (format=long, merge commit, another length)', () => {
    const deployed = (appset['spec']['template']['spec']['source']['kustomize']['images'] as string[]).map((i) => argoTemplate(i, pr));
    const text = record[PREVIEWS]!;
    for (const broken of [
      text.replace('format=short', 'format=long'),
      text.replace("DOCKER_METADATA_PR_HEAD_SHA: 'true'", "DOCKER_METADATA_PR_HEAD_SHA: 'false'"),
      text.replace('DOCKER_METADATA_SHORT_SHA_LENGTH: "7"', 'DOCKER_METADATA_SHORT_SHA_LENGTH: "8"'),
    ]) {
      expect(broken).not.toBe(text);
      expect(previewPushes(broken, sha).refs.sort()).not.toEqual(deployed.sort());
    }
  });

  it('builds only for labelled PRs from this repository, with the label the ApplicationSet filters on', () => {
    const wf = workflow(record, PREVIEWS);
    expect(wf['on']).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'labeled'] } });
    const labels = appset['spec']['generators'][0]['pullRequest']['github']['labels'] as string[];
    expect(labels).toEqual(['preview']);
    const job = wf['jobs']['image'];
    expect(job['if']).toContain(`contains(github.event.pull_request.labels.*.name, '${labels[0]}')`);
    expect(job['if']).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    // The push job needs the image job, so it is skipped whenever the image job is.
    expect(wf['jobs']['push']['needs']).toBe('image');
    expect(wf['jobs']['push']['if']).toBeUndefined();
    // All services, whatever the PR touched: the preview namespace runs every one of them.
    expect(wf['on']['pull_request']['paths']).toBeUndefined();
    expect(job['strategy']['matrix']['include'].map((m: Obj) => m['service'])).toEqual(['web', 'worker']);
  });

  it('scans with Trivy in a read-only job; the push job verifies the archive\'s checksum and runs no scanner (issue 9 #14); no expressions in run:', () => {
    const jobs = workflow(record, PREVIEWS)['jobs'];
    const steps = jobs['image']['steps'] as Obj[];
    const build = steps.findIndex((s) => s['id'] === 'build');
    const archive = steps.findIndex((s) => s['id'] === 'archive');
    const trivy = steps.findIndex((s) => usesAction(s, 'aquasecurity/trivy-action'));
    const upload = steps.findIndex((s) => usesAction(s, 'actions/upload-artifact'));
    expect(steps[build]!['with']).toMatchObject({ push: false, outputs: 'type=oci,dest=${{ runner.temp }}/image.tar', provenance: false, sbom: false });
    expect(steps[trivy]!['with']).toMatchObject({ input: '${{ runner.temp }}/image-layout', 'exit-code': '1', severity: 'CRITICAL,HIGH' });
    // Checksum recorded before the scanner runs; the archive handed over after it passed.
    expect(build).toBeLessThan(archive);
    expect(archive).toBeLessThan(trivy);
    expect(trivy).toBeLessThan(upload);
    expect(steps.some((s) => usesAction(s, 'docker/login-action'))).toBe(false);
    expect(jobs['image']['permissions']).toEqual({ contents: 'read' });
    // One job output per service, set by that service's leg.
    expect(jobs['image']['outputs']).toEqual({
      'sha256-web': '${{ steps.archive.outputs.sha256-web }}', 'sha256-worker': '${{ steps.archive.outputs.sha256-worker }}',
    });
    expect(steps[archive]!['run']).toContain('echo "sha256-${SERVICE}=');
    const push = jobs['push'];
    expect(push['needs']).toBe('image');
    expect(push['permissions']).toEqual({ contents: 'read', packages: 'write' });
    const ps = push['steps'] as Obj[];
    expect(ps.some((s) => usesAction(s, 'aquasecurity/trivy-action') || usesAction(s, 'actions/checkout'))).toBe(false);
    const download = ps.findIndex((s) => usesAction(s, 'actions/download-artifact'));
    const verify = ps.findIndex((s) => String(s['run'] ?? '').includes('sha256sum --check --strict'));
    const copy = ps.findIndex((s) => String(s['run'] ?? '').includes('skopeo copy --preserve-digests'));
    expect(ps[download]!['with']['name']).toBe(steps[upload]!['with']['name']);
    expect(ps[verify]!['env']).toEqual({ EXPECTED: "${{ needs.image.outputs[format('sha256-{0}', matrix.service)] }}" });
    expect(download).toBeLessThan(verify);
    expect(verify).toBeLessThan(copy);
    for (const s of extractRunScripts(record[PREVIEWS]!)) expect(s.script).not.toContain('GH_EXPRESSION');
  });

  it.runIf(haveTool('kubectl'))('the preview namespace Argo CD builds runs exactly the pushed images', () => {
    const dir = writeRecord(record);
    const source = appset['spec']['template']['spec']['source'];
    const file = join(dir, source['path'], 'kustomization.yaml');
    // Argo CD's kustomize.namespace and kustomize.images (kustomize edit set namespace / set image).
    const images = (source['kustomize']['images'] as string[]).map((i) => argoTemplate(i, pr)).map((ref) => {
      const at = ref.lastIndexOf(':');
      return `- name: ${ref.slice(0, at)}\n  newTag: ${ref.slice(at + 1)}`;
    });
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^namespace: .*$/m, `namespace: ${argoTemplate(source['kustomize']['namespace'], pr)}\nimages:\n${images.join('\n')}`));
    const built = kustomizeBuild(join(dir, source['path']));
    expect(built.stderr).toBe('');
    const running = spec.services.map((s) => workloadOf(parseObjects(built.stdout), s.name)!['spec']['template']['spec']['containers'][0].image);
    expect(running.sort()).toEqual(previewPushes(record[PREVIEWS]!, sha).refs.sort());
  });
});

describe('previews are off', () => {
  it('without gitops.previews, or without the gitops practice, there is no previews workflow', () => {
    expect(render(makeSpec({ practices: ['ci', 'gitops'], gitops: { previews: false } }))[PREVIEWS]).toBeUndefined();
    expect(render(makeSpec({ practices: ['ci'] }))[PREVIEWS]).toBeUndefined();
  });
});
