import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { computeTree } from '../../../src/tree/compute.js';
import type { Spec } from '../../../src/spec/types.js';
import { parseSpec } from '../../../src/spec/load.js';
import { validateGitlabPipeline } from '../../validators/gitlab-ci-local.js';
import { extractGitlabScripts, shellcheckEachScript } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { GITLAB_CASES } from './gitlab-cases.js';
import { resolvedGitlabJobs } from '../../validators/gitlab-jobs.js';

type Obj = Record<string, any>;
const NOT_JOBS = new Set(['workflow', 'include', 'stages', 'variables', 'default']);

type Rendered = { record: Record<string, string>; skipWarnings: Map<string, { text: string; unlessContains?: string }[]> };
const rendered = new Map<Spec, Rendered>();
/** Each case rendered once for every test that reads it. */
function render(spec: Spec): Rendered {
  let r = rendered.get(spec);
  if (!r) {
    const tree = computeTree(spec);
    r = { record: tree.toRecord(), skipWarnings: tree.skipWarnings };
    rendered.set(spec, r);
  }
  return r;
}

/**
 * Every job of every GitLab CI file, by name, with the file it is in, as GitLab runs it: the
 * per-service jobs extend the shared templates (.gitlab/ci/templates/), resolved here.
 */
function jobsOf(record: Record<string, string>): Map<string, { file: string; job: Obj }> {
  const seen = new Set<string>();
  for (const [path, text] of Object.entries(record)) {
    if (!path.startsWith('.gitlab/ci/')) continue;
    for (const name of Object.keys(parse(text) as Obj)) {
      if (NOT_JOBS.has(name)) continue;
      expect(seen.has(name), `job ${name} is defined twice`).toBe(false);
      seen.add(name);
    }
  }
  return resolvedGitlabJobs(record);
}

const scriptText = (job: Obj): string => [...(job['before_script'] ?? []), ...job['script']].join('\n');
const needNames = (job: Obj): string[] => (job['needs'] as (string | Obj)[]).map((n) => (typeof n === 'string' ? n : n['job']));
/** Rules that can start the job (not `when: never`). */
const startRules = (job: Obj): Obj[] => (job['rules'] ?? [{}]).filter((r: Obj) => r['when'] !== 'never');
const isPublish = (name: string): boolean => /:(push|sign|promote-staging)$/.test(name) && !name.startsWith('preview:');

const hasShellcheck = haveTool('shellcheck');
const hasYamllint = haveTool('yamllint');

describe.each(Object.entries(GITLAB_CASES))('GitLab CI, %s', (_name, spec) => {
  const { record, skipWarnings } = render(spec);
  const jobs = jobsOf(record);

  it('writes GitLab CI and no GitHub Actions or Dependabot files', () => {
    expect(Object.keys(record).filter((p) => p.startsWith('.github/'))).toEqual([]);
    expect(record['.gitlab-ci.yml']).toContain('- local: ".gitlab/ci/devops-init.yml"');
    const entry = parse(record['.gitlab/ci/devops-init.yml']!) as Obj;
    const included = (entry['include'] as Obj[]).map((i) => i['local']);
    expect(included.sort()).toEqual(Object.keys(record).filter((p) => p.startsWith('.gitlab/ci/') && p !== '.gitlab/ci/devops-init.yml').sort());
    for (const s of spec.services) expect(included).toContain(`.gitlab/ci/ci-${s.name}.yml`);
    expect(record['docs/gitlab-ci.md']).toBeDefined();
  });

  it('merge request pipelines replace branch pipelines (workflow:rules)', () => {
    const entry = parse(record['.gitlab/ci/devops-init.yml']!) as Obj;
    expect(entry['workflow']['rules']).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
      { if: '$CI_COMMIT_BRANCH' },
    ]);
    expect(entry['workflow']['auto_cancel']).toEqual({ on_new_commit: 'interruptible' });
  });

  it('every job has a timeout; checks are interruptible, pushes, signatures and promotions never', () => {
    for (const [name, { job }] of jobs) {
      expect(job['timeout'], name).toMatch(/^\d+m$/);
      const publishing = /:(push|sign|promote-staging|stop)$/.test(name) || name.startsWith('promote-production:');
      expect(job['interruptible'], name).toBe(!publishing);
    }
  });

  it('pushes, signs and promotes on the default branch only, after the scan', () => {
    for (const s of spec.services) {
      const push = jobs.get(`${s.name}:push`)!.job;
      const sign = jobs.get(`${s.name}:sign`)!.job;
      const scan = jobs.get(`${s.name}:scan`)!.job;
      expect(needNames(push)).toEqual([`${s.name}:image`, `${s.name}:scan`]);
      expect(needNames(scan)).toEqual([`${s.name}:image`]);
      expect(needNames(sign)).toEqual([`${s.name}:push`, `${s.name}:scan`]);
      expect(scriptText(scan)).toContain('tar -xf "$ARCHIVE" -C "$layout"\ntrivy image --input "$layout" --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1');
      // The archive Trivy scanned is what is pushed, under an immutable sha tag; the digest travels as dotenv.
      expect(scriptText(push)).toContain('"oci-archive:$ARCHIVE" "docker://$IMAGE:$tag"');
      expect(scriptText(push)).toContain('tag="sha-$CI_COMMIT_SHA"');
      expect(push['artifacts']['reports']['dotenv']).toBe('ci-artifacts/image.env');
      expect(scriptText(sign)).toContain('cosign sign --yes "$IMAGE@$IMAGE_DIGEST"');
    }
    for (const [name, { job }] of jobs) {
      if (!isPublish(name)) continue;
      for (const r of startRules(job)) expect(r['if'], name).toBe('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    }
    for (const [name, { job }] of jobs) {
      if (!name.startsWith('promote-production:')) continue;
      if (name.endsWith(':merge-request')) {
        // Runs only after the manual job it needs, on the default branch; verifies, then opens the MR.
        expect(startRules(job), name).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
        expect(needNames(job), name).toEqual([name.slice(0, -':merge-request'.length)]);
        continue;
      }
      expect(startRules(job), name).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual', allow_failure: true }]);
      expect(job['environment']).toEqual({ name: 'production', deployment_tier: 'production' });
    }
  });

  it('requests OIDC tokens only where needed, with the right audiences', () => {
    const audiences: Record<string, Record<string, string>> = {
      gitlab: {},
      ecr: { AWS_ID_TOKEN: 'sts.amazonaws.com' },
      gar: { GCP_ID_TOKEN: `https://iam.googleapis.com/${spec.ci.gcp?.workloadIdentityProvider}` },
      acr: { AZURE_ID_TOKEN: 'api://AzureADTokenExchange' },
    };
    const cloud = audiences[spec.ci.registry]!;
    for (const [name, { job }] of jobs) {
      const tokens = Object.fromEntries(Object.entries((job['id_tokens'] ?? {}) as Obj).map(([k, v]) => [k, v['aud']]));
      if (/^[^:]+:sign$/.test(name)) expect(tokens, name).toEqual({ SIGSTORE_ID_TOKEN: 'sigstore', ...cloud });
      else if (/:push$/.test(name)) expect(tokens, name).toEqual(cloud);
      // The production promotion reads the signature with the release identity's registry login.
      else if (/^promote-production:[^:]+:merge-request$/.test(name)) expect(tokens, name).toEqual(cloud);
      else expect(tokens, name).toEqual({});
    }
  });

  it('keeps secrets and untrusted text out of scripts', () => {
    for (const [name, { job }] of jobs) {
      const text = scriptText(job);
      // Branch names, titles and commit messages are attacker-controlled: never in a script.
      expect(text, name).not.toMatch(/\$\{?CI_(MERGE_REQUEST_TITLE|MERGE_REQUEST_DESCRIPTION|COMMIT_MESSAGE|COMMIT_TITLE|COMMIT_DESCRIPTION|COMMIT_BRANCH|COMMIT_REF_NAME|COMMIT_REF_SLUG|MERGE_REQUEST_SOURCE_BRANCH_NAME)\b/);
      // Credentials only through variables GitLab injects at run time, never literal.
      expect(text, name).not.toMatch(/glpat-|ghp_|AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY/);
      // Except the throwaway test credentials of services[].testServices, which the test containers and the tests share.
      const testCredentials = new Set(spec.services.flatMap((s) => (s.testServices ?? []).flatMap((t) => Object.keys(t.env ?? {}))));
      for (const v of Object.keys(job['variables'] ?? {})) if (!(job['services'] && testCredentials.has(v))) expect(v, name).not.toMatch(/TOKEN|PASSWORD|SECRET|PRIVATE/);
      // The promotion token goes to git in a header, never into a URL or the log.
      if (text.includes('PROMOTION_TOKEN')) {
        expect(text).toContain('http.extraHeader="Authorization: Basic $auth"');
        expect(text).not.toMatch(/https:\/\/[^ ]*\$\{?PROMOTION_TOKEN/);
        expect(text).not.toMatch(/echo[^\n]*\$PROMOTION_TOKEN/);
      }
      expect(text, name).not.toContain('CI_JOB_TOKEN');
    }
  });

  it('filters each service by its paths (compare_to for branches), and skips promotions', () => {
    for (const s of spec.services) {
      const rules = jobs.get(`${s.name}:image`)!.job['rules'] as Obj[];
      expect(rules[0]).toEqual({ if: '$CI_MERGE_REQUEST_SOURCE_BRANCH_NAME =~ /^promote(-staging)?\\// || $CI_COMMIT_BRANCH =~ /^promote(-staging)?\\//', when: 'never' });
      expect(rules).toContainEqual({ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' });
      if (s.path === '.') {
        expect(rules.filter((r) => r['changes'])).toEqual([]);
        if (spec.practices.includes('gitops')) expect(rules.some((r) => r['when'] === 'never' && /deploy\\\(/.test(r['if']))).toBe(true);
      } else {
        const branch = rules.find((r) => r['if'] === '$CI_COMMIT_BRANCH')!;
        expect(branch['changes']['compare_to']).toBe(`refs/heads/${spec.project.defaultBranch}`);
        expect(branch['changes']['paths']).toContain(`${s.path}/**`);
        expect(branch['changes']['paths']).toContain(`.gitlab/ci/ci-${s.name}.yml`);
        expect(rules.find((r) => r['if'] === '$CI_PIPELINE_SOURCE == "merge_request_event"')!['changes']).toEqual({ paths: branch['changes']['paths'] });
      }
    }
  });

  it('runs the service commands as written, with the toolchain image and a lockfile-keyed cache', () => {
    for (const s of spec.services) {
      for (const id of ['lint', 'test'] as const) {
        const command = s.commands[id];
        const entry = jobs.get(`${s.name}:${id}`);
        if (!command) {
          expect(entry).toBeUndefined();
          continue;
        }
        const job = entry!.job;
        expect(job['script']).toEqual([command]);
        if (s.commands.install) expect(job['before_script']).toContain(s.commands.install);
        expect(job['image']).toMatch(/^(node|python|golang|eclipse-temurin|oven\/bun|maven|gradle|rust|ruby|elixir|gcc|mcr\.microsoft\.com\/dotnet\/sdk):\d|^composer:2$|^buildpack-deps:/);
        if (['node', 'python', 'go', 'java'].includes(s.language)) expect(job['cache'][0]['key']['files'].length).toBeGreaterThan(0);
      }
    }
  });

  it('writes a review app for labelled same-project merge requests when previews are on', () => {
    const previews = spec.practices.includes('gitops') && spec.gitops.previews;
    expect(jobs.has('preview:deploy')).toBe(previews);
    if (!previews) return;
    const deploy = jobs.get('preview:deploy')!.job;
    expect(deploy['environment']).toMatchObject({ name: 'preview/mr-$CI_MERGE_REQUEST_IID', on_stop: 'preview:stop' });
    expect(jobs.get('preview:stop')!.job['environment']).toEqual({ name: 'preview/mr-$CI_MERGE_REQUEST_IID', action: 'stop' });
    for (const s of spec.services) {
      const push = jobs.get(`preview:${s.name}:push`)!.job;
      expect(scriptText(push)).toContain(`tag="sha-$(printf '%.7s' "\${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-$CI_COMMIT_SHA}")"`);
      expect(push['rules'][0]['if']).toContain('$CI_MERGE_REQUEST_LABELS =~ /(^|,)preview(,|$)/');
      expect(push['rules'][0]['if']).toContain('$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_MERGE_REQUEST_PROJECT_ID');
    }
    // The same tag Argo CD's GitLab merge-request generator deploys.
    const appset = parse(record[`${spec.gitops.dir}/argocd/apps/previews.yaml`]!) as Obj;
    const generator = appset['spec']['generators'][0]['pullRequest'];
    expect(generator['gitlab']).toMatchObject({ project: spec.project.repository, api: spec.ci.gitlab.url, labels: ['preview'], pullRequestState: 'opened' });
    expect(appset['spec']['template']['spec']['source']['kustomize']['images'][0]).toMatch(/:sha-\{\{\.head_short_sha_7\}\}$/);
    expect(appset['spec']['template']['spec']['source']['repoURL']).toBe(`${spec.ci.gitlab.url}/${spec.project.repository}.git`);
  });

  it('says which include line a team\'s own .gitlab-ci.yml needs (only when it is skipped)', () => {
    const [warning] = skipWarnings.get('.gitlab-ci.yml') ?? [];
    expect(warning?.text).toContain('- local: .gitlab/ci/devops-init.yml');
    expect(warning?.unlessContains).toBe('.gitlab/ci/devops-init.yml');
  });
});

/**
 * The external validators over every case, batched: one yamllint run, each distinct job script
 * through shellcheck once, and gitlab-ci-local (about 3 s a run) on the cases that differ in
 * shape (every stack's check jobs are also validated by the e2e tests on the fixtures).
 */
describe('GitLab CI, validators over every case', () => {
  const records = Object.entries(GITLAB_CASES).map(([name, spec]) => [name, render(spec).record] as const);

  it.runIf(hasShellcheck)('every job script is shellcheck-clean as POSIX sh (info severity and up)', async () => {
    const seen = new Map<string, string>();
    for (const [name, record] of records) {
      // The jobs as GitLab runs them (a thin job's before_script comes from what it extends).
      const merged: Obj = {};
      for (const [job, { file, job: j }] of jobsOf(record)) merged[`${file} ${job}`] = j;
      for (const s of extractGitlabScripts(stringify(merged))) if (!seen.has(s.script)) seen.set(s.script, `${name}: ${s.where}`);
    }
    const findings: string[] = [];
    // One shellcheck process for all of them (each script is still checked on its own).
    const each = await shellcheckEachScript([...seen.keys()], 'info');
    for (const [i, where] of [...seen.values()].entries()) findings.push(...each[i]!.map((f) => `${where}: ${f}`));
    expect(findings).toEqual([]);
  });

  it.runIf(hasYamllint)('all YAML passes yamllint', () => {
    const yaml: Record<string, string> = {};
    for (const [name, record] of records) {
      for (const [path, text] of Object.entries(record)) if (/\.ya?ml$/.test(path) && !/kustomization\.yaml$/.test(path)) yaml[`${name}/${path}`] = text;
    }
    expect(yamllintRecord(yaml)).toEqual([]);
  });

  it.each(['monorepo', 'gitops-dir-in-service', 'gitops-previews-ecr', 'gitops-previews-gar', 'gitops-previews-acr', 'self-managed-subgroup'])(
    'gitlab-ci-local validates %s against GitLab\'s schema',
    (name) => {
      const record = records.find(([n]) => n === name)![1];
      const files = Object.fromEntries(Object.entries(record).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/ci/')));
      expect(validateGitlabPipeline(files).errors).toEqual([]);
    },
  );
});

describe('GitLab CI rules, evaluated by gitlab-ci-local', () => {
  const spec = GITLAB_CASES['gitops-previews-monorepo']!;
  const files = render(spec).record;

  it('a push to main that changes one service runs its checks, push, sign and staging promotion only', () => {
    const r = validateGitlabPipeline(files, { changed: { 'services/web/src/x.js': 'x' } });
    expect(r.errors).toEqual([]);
    expect(r.jobs.filter((j) => j.startsWith('web:'))).toEqual(['web:lint', 'web:test', 'web:image', 'web:scan', 'web:push', 'web:sign', 'web:promote-staging']);
    expect(r.jobs.filter((j) => j.startsWith('worker:'))).toEqual([]);
  });

  it('a branch runs the checks of what it changed and publishes nothing', () => {
    const r = validateGitlabPipeline(files, { branch: 'feature', changed: { 'services/worker/main.go': 'package main' } });
    expect(r.jobs.filter((j) => /^(web|worker):/.test(j))).toEqual(['worker:test', 'worker:image', 'worker:scan']);
    expect(r.jobs.some((j) => /:(push|sign|promote-staging)$/.test(j) || j.startsWith('preview:'))).toBe(false);
  });

  it('a merged promotion (GitOps folder only) rebuilds nothing', () => {
    const r = validateGitlabPipeline(files, { changed: { 'deploy/web/overlays/staging/kustomization.yaml': 'x' } });
    expect(r.jobs.filter((j) => /^(web|worker):/.test(j))).toEqual([]);
  });

  it('a merge request labelled preview builds every service for the review app', () => {
    const r = validateGitlabPipeline(files, {
      branch: 'feature',
      changed: { 'services/web/src/x.js': 'x' },
      variables: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_LABELS: 'bug,preview', CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '7', CI_MERGE_REQUEST_PROJECT_ID: '7', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature', CI_MERGE_REQUEST_IID: '12' },
    });
    expect(r.jobs.filter((j) => j.startsWith('preview:'))).toEqual(['preview:web:image', 'preview:web:scan', 'preview:worker:image', 'preview:worker:scan', 'preview:web:push', 'preview:worker:push', 'preview:deploy', 'preview:stop']);
    const fork = validateGitlabPipeline(files, {
      branch: 'feature',
      variables: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_LABELS: 'preview', CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '8', CI_MERGE_REQUEST_PROJECT_ID: '7', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature' },
    });
    expect(fork.jobs.filter((j) => j.startsWith('preview:'))).toEqual([]);
  });
});

describe('GitLab CI without the ci practice', () => {
  it('monitoring alone still gets its promtool and amtool jobs, included from the root file', () => {
    const spec = parseSpec('version: 1\nproject: {name: shop, repository: acme/shop}\npractices: [monitoring]\nci: {provider: gitlab}\nservices:\n  - {name: api, path: ., language: node}\n').spec;
    const { record } = render(spec);
    expect(Object.keys(record).filter((p) => p.includes('gitlab')).sort()).toEqual(['.gitlab-ci.yml', '.gitlab/ci/devops-init.yml', '.gitlab/ci/monitoring.yml', 'docs/gitlab-ci.md']);
    const files = Object.fromEntries(Object.entries(record).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/ci/')));
    const r = validateGitlabPipeline(files, { changed: { 'monitoring/kubernetes/api-prometheusrule.yaml': 'kind: PrometheusRule\n' } });
    expect(r.errors).toEqual([]);
    expect(r.jobs).toEqual(['slo-rules:promtool', 'slo-rules:amtool']);
  });
});

describe('ci.provider in devops.yaml', () => {
  const base = (ci: string, extra = '') => `version: 1\nproject: {name: shop, repository: acme/shop}\npractices: [ci, gitops]\nci: ${ci}\n${extra}services:\n  - {name: api, path: ., language: node}\n`;

  it('defaults the registry and runbook links to the provider\'s own', () => {
    const spec = parseSpec(base('{provider: gitlab}', 'gitops: {promotion: app-token}\n')).spec;
    expect(spec.ci.registry).toBe('gitlab');
    expect(spec.monitoring.runbookBaseUrl).toBe('https://gitlab.com/acme/shop/-/blob/main/docs/runbooks');
  });

  it('rejects GitHub-only settings on GitLab and the GitLab registry on GitHub', () => {
    expect(() => parseSpec(base('{provider: gitlab, registry: ghcr}', 'gitops: {promotion: app-token}\n'))).toThrow(/ghcr/);
    expect(() => parseSpec(base('{provider: gitlab, signing: attestation}', 'gitops: {promotion: app-token}\n'))).toThrow(/attestation/);
    expect(() => parseSpec(base('{provider: github, registry: gitlab}'))).toThrow(/gitlab/);
    expect(() => parseSpec(base('{provider: gitlab}', 'gitops: {promotion: pull-request}\n'))).toThrow(/merge requests/);
  });
});
