import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSpec } from '../../../src/spec/load.js';
import type { Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { resolvedGitlabJobObject } from '../../validators/gitlab-jobs.js';
import { computeRepoTree } from '../../../src/tree/repo.js';
import { makeSpec } from '../../helpers/spec.js';
import { CI_CASES, renderCi } from './cases.js';
import { validateGitlabPipeline } from '../../validators/gitlab-ci-local.js';
import { markdownlintRecord } from '../../validators/markdownlint.js';
import { GITLAB_CASES } from './gitlab-cases.js';

/**
 * Issue 9 #6/#12, the rest: GitLab's production promotion verifies the promoted digest's cosign
 * signature before it opens the merge request, and preview images are pushed with a preview
 * identity (never the release one) when iac provisions none, on both forges.
 */
type Obj = Record<string, any>;
const DIGEST = `sha256:${'c0ffee00'.repeat(8)}`;
const golden = (name: string): Spec => parseSpec(readFileSync(fileURLToPath(new URL(`../../golden/${name}/devops.yaml`, import.meta.url)), 'utf8')).spec;

const gitlabRecords = new Map<Spec, Record<string, string>>();
function gitlabJobs(spec: Spec, file: string): Obj {
  let r = gitlabRecords.get(spec);
  if (!r) gitlabRecords.set(spec, (r = computeTree(spec).toRecord()));
  return parse(r[file]!) as Obj;
}

interface Run { status: number | null; stdout: string; stderr: string; calls: string[] }

/**
 * Runs a shell script with stub commands that log their arguments (one call per line:
 * "<tool> <args…>") and behave as `stubs` says; everything else is the real sh.
 */
function runWithStubs(script: string, env: Record<string, string>, stubs: Record<string, string>): Run {
  const dir = mkdtempSync(join(tmpdir(), 'i9-stub-'));
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  for (const [tool, body] of Object.entries(stubs)) {
    writeFileSync(join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  }
  try {
    const r = spawnSync('sh', ['-e', '-c', script], { env: { PATH: `${dir}:${process.env['PATH']}`, HOME: dir, ...env }, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const makeGithub = (ci: Record<string, unknown>): Spec => makeSpec({ practices: ['ci', 'gitops'], ci });
const gitlabPromotionCases = Object.entries(GITLAB_CASES).filter(([, s]) => s.practices.includes('gitops'));

describe('GitLab production promotion verifies the digest before it opens the merge request (issue 9 #6)', () => {
  it.each(gitlabPromotionCases)('%s: the manual job only pins; the merge-request job verifies with cosign, then pushes', (_name, spec) => {
    const jobs = gitlabJobs(spec, '.gitlab/ci/promote.yml');
    const url = spec.ci.gitlab.url.replace(/\/+$/, '');
    for (const svc of spec.services.filter((s) => !s.manifests)) {
      const pinName = `promote-production:${svc.name}`;
      const pin = jobs[pinName] as Obj;
      const open = jobs[`${pinName}:merge-request`] as Obj;
      // The manual job is the gate (protected environment) and holds no credential.
      expect(pin['environment']).toEqual({ name: 'production', deployment_tier: 'production' });
      const pinText = pin['script'].join('\n');
      expect(pinText).not.toMatch(/PROMOTION_TOKEN|git .*push|cosign/);
      expect(pin['artifacts']['paths']).toEqual([`${spec.gitops.dir}/${svc.name}/overlays/production/kustomization.yaml`]);
      expect(pin['artifacts']['reports']['dotenv']).toBe(pin['variables']['PROMOTE_ENV']);
      expect(pinText).toContain('echo "PROMOTE_DIGEST=$digest" > "$PROMOTE_ENV"');
      // The second job takes the overlay and the digest from it, and verifies before anything is pushed.
      expect(open['needs']).toEqual([{ job: pinName, artifacts: true }]);
      expect(open['resource_group']).toBe(`promote-production-${svc.name}`);
      expect(open['image']).toBe('alpine:3.22');
      expect(open['before_script'][0]).toMatch(/^apk add --no-cache cosign git\b/);
      expect(open['variables']['SIGNER_ISSUER']).toBe(url);
      expect(open['variables']['SIGNER_IDENTITY']).toBe(`${url}/${spec.project.repository}//.gitlab-ci.yml@refs/heads/${spec.project.defaultBranch}`);
      const text = open['script'].join('\n') as string;
      const verify = text.indexOf('cosign verify');
      expect(verify).toBeGreaterThan(0);
      expect(verify).toBeLessThan(text.indexOf('commit -m'));
      expect(verify).toBeLessThan(text.indexOf(' push --force'));
    }
  });

  const spec = GITLAB_CASES['self-managed-subgroup']!;
  const open = gitlabJobs(spec, '.gitlab/ci/promote.yml')['promote-production:api:merge-request'] as Obj;
  const script = open['script'].join('\n') as string;
  const env = {
    ...(open['variables'] as Record<string, string>),
    PROMOTION_TOKEN: 'project-access-token', PROMOTE_DIGEST: DIGEST, CI_DEFAULT_BRANCH: 'main', CI_PROJECT_DIR: '/tmp',
    CI_SERVER_HOST: 'gitlab.acme.io', CI_SERVER_URL: 'https://gitlab.acme.io', CI_PROJECT_PATH: 'acme/platform/shop',
  };
  // git diff --quiet exits 1: the overlay changed, so the job would commit and push.
  const git = 'case " $* " in *" diff "*) exit 1 ;; esac; exit 0';
  const pushed = (r: Run) => r.calls.some((c) => c.startsWith('git ') && / push /.test(c));
  const committed = (r: Run) => r.calls.some((c) => c.startsWith('git ') && / commit /.test(c));

  it('a signature by this project\'s CI on the default branch: verified with the exact identity and issuer, then pushed', () => {
    const r = runWithStubs(script, env, { cosign: 'exit 0', git });
    expect(r.status, r.stderr).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('cosign '))).toEqual([
      `cosign verify ${open['variables']['IMAGE']}@${DIGEST} --certificate-oidc-issuer https://gitlab.acme.io --certificate-identity https://gitlab.acme.io/acme/platform/shop//.gitlab-ci.yml@refs/heads/main`,
    ]);
    expect(committed(r) && pushed(r)).toBe(true);
    expect(r.calls.findIndex((c) => c.startsWith('cosign '))).toBeLessThan(r.calls.findIndex((c) => / push /.test(c)));
  });

  it('no valid signature: fails closed with a message, commits and pushes nothing', () => {
    const r = runWithStubs(script, env, { cosign: 'echo "no matching signatures" >&2; exit 1', git });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`Not promoting ${open['variables']['IMAGE']}@${DIGEST}: it has no valid cosign signature by https://gitlab.acme.io/acme/platform/shop//.gitlab-ci.yml@refs/heads/main`);
    expect(committed(r) || pushed(r)).toBe(false);
  });

  it('the check would catch a gate that no longer stops the push (mutated script)', () => {
    const mutated = script.replace('if ! cosign verify', 'if false && cosign verify');
    expect(mutated).not.toBe(script);
    const r = runWithStubs(mutated, env, { cosign: 'exit 1', git });
    expect(pushed(r)).toBe(true);
  });

  it('no digest handed over (run on its own): fails before cosign or git', () => {
    const r = runWithStubs(script, { ...env, PROMOTE_DIGEST: '' }, { cosign: 'exit 0', git });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('No digest from the promote-production:api job');
    expect(r.calls).toEqual([]);
  });

  it('the merge request asks the reviewer for what CI cannot check: staging Healthy in Argo CD', () => {
    expect(script).toMatch(/merge_request\.description="[^"]*CI verified its cosign signature[^"]*check in Argo CD that the staging Application of \$SERVICE is Synced and Healthy at this digest/);
  });

  it('gitlab-ci-local: both jobs exist on the default branch only (never on a branch or a schedule), in a valid configuration', () => {
    const record = computeTree(spec).toRecord();
    const files = Object.fromEntries(Object.entries(record).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/ci/')));
    const promotion = (jobs: string[]) => jobs.filter((j) => j.startsWith('promote-production:'));
    const main = validateGitlabPipeline(files);
    expect(main.errors).toEqual([]);
    expect(promotion(main.jobs).sort()).toEqual(['promote-production:api', 'promote-production:api:merge-request', 'promote-production:root', 'promote-production:root:merge-request']);
    expect(promotion(validateGitlabPipeline(files, { branch: 'feature' }).jobs)).toEqual([]);
    expect(promotion(validateGitlabPipeline(files, { variables: { CI_PIPELINE_SOURCE: 'schedule' } }).jobs)).toEqual([]);
  }, 300_000);

  it('docs/gitops.md and docs/gitlab-ci.md say what the promotion verifies and what the reviewer checks', () => {
    const record = computeTree(spec).toRecord();
    expect(record['docs/gitops.md']).toMatch(/`promote-production:<service>:merge-request`, runs `cosign verify` on that digest/);
    expect(record['docs/gitops.md']).toMatch(/cannot check that\s+staging is Healthy at that digest/);
    expect(record['docs/gitlab-ci.md']).toMatch(/The production promotion runs exactly this check/);
  });
});

/** The release identity's value in devops.yaml, per registry. */
const releaseIdentity = (spec: Spec): string => {
  if (spec.ci.registry === 'ecr') return spec.ci.aws!.roleArn;
  if (spec.ci.registry === 'gar') return spec.ci.gcp!.serviceAccount;
  return spec.ci.azure!.clientId;
};
const PREVIEW_VARIABLE: Record<string, string> = { ecr: 'AWS_PREVIEW_ROLE_ARN', gar: 'GCP_PREVIEW_SERVICE_ACCOUNT', acr: 'AZURE_PREVIEW_CLIENT_ID' };
const RELEASE_SETTING: Record<string, string> = { ecr: 'AWS_ROLE_ARN', gar: 'GCP_SERVICE_ACCOUNT', acr: 'AZURE_CLIENT_ID' };
const cloudCases = ['gitops-previews-ecr', 'gitops-previews-gar', 'gitops-previews-acr'];

describe('GitHub previews push with the preview identity when iac provides none (issue 9 #6/#12)', () => {
  it.each(cloudCases)('%s: a check step first, the login takes vars.<PREVIEW>, the release identity appears nowhere', (name) => {
    const spec = CI_CASES[name]!;
    const text = renderCi(spec)['.github/workflows/previews.yml']!;
    const variable = PREVIEW_VARIABLE[spec.ci.registry]!;
    expect(text).not.toContain(releaseIdentity(spec));
    const steps = (parse(text) as Obj)['jobs']['push']['steps'] as Obj[];
    const check = steps.findIndex((s) => s['name'] === 'Check the preview push identity is configured');
    const login = steps.findIndex((s) => /^(aws-actions\/configure-aws-credentials|google-github-actions\/auth|azure\/login)@/.test(String(s['uses'] ?? '')));
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(login);
    expect(steps[check]!['env']).toEqual({ PREVIEW_IDENTITY: `\${{ vars.${variable} }}` });
    const key = { ecr: 'role-to-assume', gar: 'service_account', acr: 'client-id' }[spec.ci.registry as 'ecr' | 'gar' | 'acr'];
    expect(steps[login]!['with'][key]).toBe(`\${{ vars.${variable} }}`);
    // Unset: the job stops with an annotation naming the variable; set: it goes on.
    const unset = runWithStubs(steps[check]!['run'], { PREVIEW_IDENTITY: '' }, {});
    expect(unset.status).toBe(1);
    expect(unset.stdout).toContain(`::error::Set the repository variable ${variable}`);
    expect(runWithStubs(steps[check]!['run'], { PREVIEW_IDENTITY: 'preview-identity' }, {}).status).toBe(0);
    // The service workflows keep the release identity (in the shared image workflow they call).
    expect(renderCi(spec)['.github/workflows/_image.yml']).toContain(releaseIdentity(spec));
  });

  it('iac-ecr: the provisioned preview role is used as it is, no variable', () => {
    const t = computeRepoTree(golden('iac-ecr'));
    const text = t.get('.github/workflows/previews.yml')!.content;
    expect(text).not.toContain('AWS_PREVIEW_ROLE_ARN');
    const steps = (parse(text) as Obj)['jobs']['push']['steps'] as Obj[];
    expect(steps.find((s) => String(s['uses'] ?? '').startsWith('aws-actions/configure-aws-credentials@'))!['with']['role-to-assume']).toMatch(/:role\/shop-preview-push$/);
  });

  it('GHCR: no preview variable (GITHUB_TOKEN pushes; separation by name, said in docs/gitops.md)', () => {
    const text = renderCi(CI_CASES['gitops-previews-monorepo']!)['.github/workflows/previews.yml']!;
    expect(text).not.toMatch(/PREVIEW_(ROLE_ARN|SERVICE_ACCOUNT|CLIENT_ID)/);
  });

  it.each(cloudCases)('%s: docs/gitops.md says how to set the preview identity up and which subject it trusts', (name) => {
    const spec = CI_CASES[name]!;
    const docs = computeTree(spec).toRecord()['docs/gitops.md']!;
    expect(docs).toContain(`**Set up the preview push identity** (\`${PREVIEW_VARIABLE[spec.ci.registry]}\`)`);
    expect(docs).toContain(`repo:${spec.project.repository}:pull_request`);
    expect(docs).toMatch(/never falls back to the\s+release identity/);
  });
});

describe('GitLab review apps push with the preview identity when iac provides none (issue 9 #6/#12)', () => {
  /** The login of a preview push job run with stub cloud CLIs; returns what they were called with. */
  const stubs = {
    aws: 'echo "role=$AWS_ROLE_ARN" >> "$HOME/identity"; echo password',
    curl: 'for a in "$@"; do echo "$a"; done >> "$HOME/identity"; echo "{}"',
    jq: 'echo token',
  };
  function login(job: Obj, env: Record<string, string>): Run & { identity: string } {
    const home = mkdtempSync(join(tmpdir(), 'i9-home-'));
    try {
      const r = runWithStubs(job['before_script'][1], { ...(job['variables'] as Record<string, string>), AWS_ID_TOKEN: 'jwt', GCP_ID_TOKEN: 'jwt', AZURE_ID_TOKEN: 'jwt', DOCKER_CONFIG: join(home, 'docker'), ...env, HOME: home }, stubs);
      let identity = '';
      try { identity = readFileSync(join(home, 'identity'), 'utf8'); } catch { /* never called */ }
      return { ...r, identity };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it.each(cloudCases)('%s: the push job has no release identity; unset variable → stops with a message; set → logs in as the preview identity', (name) => {
    const spec = GITLAB_CASES[name]!;
    const kind = spec.ci.registry;
    const variable = PREVIEW_VARIABLE[kind]!;
    const jobs = gitlabJobs(spec, '.gitlab/ci/previews.yml');
    const push = Object.entries(jobs).filter(([n]) => /^preview:[^:]+:push$/.test(n)).map(([, j]) => j as Obj);
    expect(push.length).toBeGreaterThan(0);
    for (const job of push) {
      expect(job['variables'][RELEASE_SETTING[kind]!], 'no release identity in the preview job').toBeUndefined();
      expect(JSON.stringify(job)).not.toContain(releaseIdentity(spec));
      // Even with the release identity in the environment, an unset preview variable stops the job.
      const unset = login(job, { [RELEASE_SETTING[kind]!]: releaseIdentity(spec) });
      expect(unset.status).toBe(1);
      expect(unset.stderr).toContain(`${variable} is not set`);
      expect(unset.identity).toBe('');
      const set = login(job, { [variable]: 'the-preview-identity' });
      expect(set.status, set.stderr).toBe(0);
      expect(set.identity).toContain('the-preview-identity');
      expect(set.identity).not.toContain(releaseIdentity(spec));
    }
    // The release pipeline keeps the release identity.
    // The release push job as GitLab runs it (the thin per-service job extends the shared template).
    const release = resolvedGitlabJobObject(computeTree(spec).toRecord())['api:push'] as Obj;
    expect(release['variables'][RELEASE_SETTING[kind]!]).toBe(releaseIdentity(spec));
    expect(computeTree(spec).toRecord()['docs/gitlab-ci.md']).toMatch(new RegExp(`CI/CD variable \`${variable}\`\\s+\\(not protected\\)`));
  });

  it('gitlab-iac: the provisioned preview role, literal, no variable check', () => {
    const t = computeRepoTree(golden('gitlab-iac'));
    const jobs = parse(t.get('.gitlab/ci/previews.yml')!.content) as Obj;
    const push = jobs['preview:api:push'] as Obj;
    expect(push['variables']['AWS_ROLE_ARN']).toMatch(/:role\/shop-preview-push$/);
    expect(push['before_script'][1]).not.toContain('AWS_PREVIEW_ROLE_ARN');
  });
});

describe('the new docs paragraphs pass markdownlint on the cases no golden covers (GitLab with a cloud registry and previews)', () => {
  it('docs/gitops.md, docs/gitlab-ci.md and docs/ci.md of the cloud preview cases on both forges', () => {
    const docs: Record<string, string> = {};
    for (const name of cloudCases) {
      for (const [forge, spec] of [['github', CI_CASES[name]!], ['gitlab', GITLAB_CASES[name]!]] as const) {
        const record = computeTree(spec).toRecord();
        for (const p of ['docs/gitops.md', 'docs/gitlab-ci.md', 'docs/ci.md']) if (record[p]) docs[`${forge}-${name}/${p}`] = record[p]!;
      }
    }
    expect(Object.keys(docs).length).toBe(12);
    expect(markdownlintRecord(docs)).toEqual([]);
  }, 300_000);
});

describe('docs/gitops.md on GitHub says what the promote workflow verifies and what it leaves to the reviewer', () => {
  it.each([
    ['GHCR, cosign', makeGithub({}), /Before it opens it, it verifies that digest's cosign signature\s+\(this repository's CI on `main`; docs\/ci\.md\)/],
    ['GHCR, attestation', makeGithub({ signing: 'attestation' }), /verifies that digest's build provenance/],
    ['ECR', CI_CASES['gitops-previews-ecr']!, /It cannot read the signature from the cloud registry, so the pull request asks the\s+reviewer to verify it/],
  ])('%s', (_name, spec, text) => {
    const docs = computeTree(spec).toRecord()['docs/gitops.md']!;
    expect(docs).toMatch(text);
    expect(docs).toMatch(/Whether staging is Healthy at that digest is the reviewer's to check in Argo CD/);
  });
});
