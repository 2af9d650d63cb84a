import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DRIFT_LABEL, DRIFT_REPORT_SCRIPT, DRIFT_SCHEDULE_VARIABLE, DRIFT_SCRIPT, DRIFT_TOKEN_VARIABLE, PLAN_SCRIPT } from '../../../src/emit/gitlab-ci/infra.js';
import { validateGitlabPipeline } from '../../validators/gitlab-ci-local.js';
import { resolvedGitlabJobs } from '../../validators/gitlab-jobs.js';
import { extractGitlabScripts, shellcheckScript } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { ACCOUNTS, gitlabSpec } from './cases.js';
import { renderUnder } from './render.js';

/**
 * The infrastructure pipelines on GitLab CI: GitLab's schema (gitlab-ci-local), its rules
 * evaluated for merge requests, the default branch and the drift schedule, shellcheck over
 * every script, yamllint; the drift step's exit-code handling run for real with a fake
 * `terraform` exiting 0, 1 and 2; the plan report's counts; the issue report against a fake
 * `curl` standing in for GitLab's REST API.
 */

type Obj = Record<string, any>;
const hasShellcheck = haveTool('shellcheck');
const hasYamllint = haveTool('yamllint');
const hasJq = haveTool('jq');

const record = renderUnder(gitlabSpec(), '');
const pipeline = (name: string): Obj => parse(record[`.gitlab/ci/${name}.yml`]!) as Obj;
const gitlabFiles = Object.fromEntries(Object.entries(record).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/ci/')));
const MR = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '7', CI_MERGE_REQUEST_PROJECT_ID: '7', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature' };

describe('GitLab infrastructure pipelines pass the validators', () => {
  it('renders plan, apply and drift, included by the entry file; no GitHub workflow', () => {
    const entry = parse(record['.gitlab/ci/devops-init.yml']!) as Obj;
    const included = (entry['include'] as Obj[]).map((i) => i['local']);
    expect(included).toEqual(expect.arrayContaining(['.gitlab/ci/infra-plan.yml', '.gitlab/ci/infra-apply.yml', '.gitlab/ci/infra-drift.yml']));
    expect(Object.keys(record).filter((p) => p.startsWith('.github/'))).toEqual([]);
  });

  it("gitlab-ci-local validates every file against GitLab's schema", () => {
    expect(validateGitlabPipeline(gitlabFiles).errors).toEqual([]);
  });

  it.runIf(hasShellcheck)('every infra job script is shellcheck-clean as POSIX sh (info severity and up)', async () => {
    const findings: string[] = [];
    for (const name of ['infra-plan', 'infra-apply', 'infra-drift']) {
      for (const s of extractGitlabScripts(record[`.gitlab/ci/${name}.yml`]!)) findings.push(...(await shellcheckScript(s.script, 'info')).map((f) => `${name} ${s.where}: ${f}`));
    }
    expect(findings).toEqual([]);
  });

  it.runIf(hasShellcheck)('shellcheck catches a broken script (the check can fail)', async () => {
    expect((await shellcheckScript(`set -e\n${DRIFT_SCRIPT.replace('"$out.plan" 2>&1', '$out.plan 2>&1')}\n`, 'info')).join('\n')).toContain('SC2086');
  });

  it.runIf(hasYamllint)('yamllint passes', () => {
    expect(yamllintRecord(Object.fromEntries(['infra-plan', 'infra-apply', 'infra-drift'].map((n) => [`.gitlab/ci/${n}.yml`, record[`.gitlab/ci/${n}.yml`]!])))).toEqual([]);
  });
});

describe('GitLab rules, evaluated by gitlab-ci-local', () => {
  const infraJobs = (jobs: string[]) => jobs.filter((j) => j.startsWith('infra:'));

  it('a merge request touching infra/ runs the checks, the scan and a plan per environment', () => {
    const r = validateGitlabPipeline(gitlabFiles, { branch: 'feature', changed: { 'infra/envs/staging/main.tf': '# x\n' }, variables: MR });
    expect(r.errors).toEqual([]);
    expect(infraJobs(r.jobs)).toEqual(['infra:static', 'infra:scan', 'infra:plan:staging', 'infra:plan:production']);
  });

  it('a merge request from a fork gets the checks but no plan (no token for foreign code)', () => {
    const r = validateGitlabPipeline(gitlabFiles, { branch: 'feature', changed: { 'infra/envs/staging/main.tf': '# x\n' }, variables: { ...MR, CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '8' } });
    expect(infraJobs(r.jobs)).toEqual(['infra:static', 'infra:scan']);
  });

  it('a merge request elsewhere runs no infra job', () => {
    const r = validateGitlabPipeline(gitlabFiles, { branch: 'feature', changed: { 'services/api/x.js': 'x' }, variables: MR });
    expect(infraJobs(r.jobs)).toEqual([]);
  });

  it('the default branch offers the applies (manual), and a schedule with INFRA_DRIFT runs only the drift jobs', () => {
    const push = validateGitlabPipeline(gitlabFiles, { changed: { 'infra/envs/production/main.tf': '# x\n' } });
    expect(infraJobs(push.jobs)).toEqual(['infra:apply:staging', 'infra:apply:production']);
    const nightly = validateGitlabPipeline(gitlabFiles, { variables: { CI_PIPELINE_SOURCE: 'schedule', INFRA_DRIFT: 'true' } });
    expect(infraJobs(nightly.jobs)).toEqual(['infra:drift:staging', 'infra:drift:production', 'infra:drift:report']);
    const weekly = validateGitlabPipeline(gitlabFiles, { variables: { CI_PIPELINE_SOURCE: 'schedule' } });
    expect(infraJobs(weekly.jobs)).toEqual([]);
  });
});

describe('what each job does', () => {
  it('plans: read-only role through the ID token, lock file required, plan text and the MR widget report as artifacts', () => {
    const plan = pipeline('infra-plan');
    expect(plan['infra:static']['script'].join('\n')).toMatch(/fmt -check -recursive[\s\S]*init -backend=false[\s\S]*validate[\s\S]*test/);
    expect(plan['infra:scan']['script']).toEqual(['trivy config --severity "$SEVERITY" --exit-code 1 "$TF_DIR"']);
    expect(plan['infra:scan']['variables']['SEVERITY']).toBe('HIGH,CRITICAL');
    const staging = plan['infra:plan:staging'];
    expect(staging['id_tokens']).toEqual({ AWS_ID_TOKEN: { aud: 'sts.amazonaws.com' } });
    expect(staging['variables']).toMatchObject({ AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNTS.staging}:role/shop-staging-tf-plan`, TF_ROOT: 'infra/envs/staging', AWS_REGION: 'eu-west-1' });
    expect(staging['before_script'][0]).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    expect(staging['script'].join('\n')).toMatch(/-lockfile=readonly[\s\S]*plan [^\n]*-out=tfplan/);
    expect(staging['artifacts']).toEqual({ paths: ['plan-staging.txt'], reports: { terraform: 'plan-staging.json' }, expire_in: '1 week', access: 'developer' });
  });

  it('applies: manual, per environment in order, protected environment, one resource group each, never interruptible', () => {
    const apply = pipeline('infra-apply');
    const staging = apply['infra:apply:staging'];
    const production = apply['infra:apply:production'];
    expect(staging).toMatchObject({ interruptible: false, resource_group: 'infra-staging', environment: { name: 'staging', deployment_tier: 'staging' }, needs: [] });
    expect(production).toMatchObject({ interruptible: false, resource_group: 'infra-production', environment: { name: 'production', deployment_tier: 'production' }, needs: [{ job: 'infra:apply:staging', artifacts: false }] });
    expect(production['rules']).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' },
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', changes: { paths: ['infra/**/*', '.gitlab/ci/infra-apply.yml'] }, when: 'manual', allow_failure: false },
    ]);
    expect(production['variables']['AWS_ROLE_ARN']).toBe(`arn:aws:iam::${ACCOUNTS.production}:role/shop-production-tf-apply`);
    expect(production['script'].join('\n')).toMatch(/plan [^\n]*-out=tfplan[\s\S]*apply [^\n]*tfplan/);
  });

  it('drift: no lock, detailed exit code, artifacts kept even on failure; the report needs every plan and holds no cloud token', () => {
    const drift = pipeline('infra-drift');
    expect(drift['infra:drift:staging']['script'].join('\n')).toContain('terraform plan -input=false -lock=false -detailed-exitcode');
    expect(drift['infra:drift:staging']['artifacts']).toMatchObject({ when: 'always', access: 'developer' });
    const report = drift['infra:drift:report'];
    expect(report['needs']).toEqual([{ job: 'infra:drift:staging', artifacts: true }, { job: 'infra:drift:production', artifacts: true }]);
    expect(report['rules'][0]['when']).toBe('always');
    expect(report['id_tokens']).toBeUndefined();
    expect(report['script'][0]).toContain('INFRA_DRIFT_TOKEN');
  });
});

describe('GitLab CI uses the identities the infrastructure creates', () => {
  it('image pushes assume the push role (trusts main); preview pushes the preview role (trusts merge request branches)', () => {
    // As GitLab runs it: the service's push job extends the shared .image-push template.
    const push = resolvedGitlabJobs(record).get('api:push')!.job;
    expect(push['variables']['AWS_ROLE_ARN']).toBe(`arn:aws:iam::${ACCOUNTS.production}:role/shop-image-push`);
    expect(push['id_tokens']).toEqual({ AWS_ID_TOKEN: { aud: 'sts.amazonaws.com' } });
    const preview = pipeline('previews')['preview:api:push'];
    expect(preview['variables']['AWS_ROLE_ARN']).toBe(`arn:aws:iam::${ACCOUNTS.production}:role/shop-preview-push`);
    const root = record['infra/envs/production/main.tf']!;
    expect(root).toContain('"shop-image-push" = {\n      description = "CI pushes service images from main"\n      subjects    = ["ref_type:branch:ref:main"]');
    expect(root).toContain('"shop-preview-push" = {\n      description = "CI pushes preview images from merge requests"\n      subjects    = ["ref_type:branch:ref:*"]');
  });

  it('docs/gitlab-ci.md lists the three infrastructure pipelines', () => {
    const docs = record['docs/gitlab-ci.md']!;
    expect(docs).not.toContain('not rendered on GitLab');
    expect(docs).toContain('| `.gitlab/ci/infra-apply.yml` | manual Terraform apply per environment (staging → production) on main |');
    const infra = record['docs/infrastructure.md']!;
    for (const name of [DRIFT_TOKEN_VARIABLE, `${DRIFT_SCHEDULE_VARIABLE}\` = \`true`, DRIFT_LABEL, 'Protected environments']) expect(infra).toContain(name);
  });
});

/** A folder with fake tools on PATH. */
function fakeBin(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-gl-infra-'));
  mkdirSync(join(dir, 'bin'));
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, 'bin', name), body);
    chmodSync(join(dir, 'bin', name), 0o755);
  }
  return dir;
}

const read = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

describe('the drift step, run with a fake terraform (as GitLab runs it: sh -e)', () => {
  function runWith(code: number, script = DRIFT_SCRIPT) {
    const dir = fakeBin({ terraform: `#!/bin/sh\necho "fake plan output (exit ${code})"\nexit ${code}\n` });
    writeFileSync(join(dir, 'step.sh'), script);
    const r = spawnSync('sh', ['-e', join(dir, 'step.sh')], { env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, CI_PROJECT_DIR: dir, ENVIRONMENT: 'staging' }, encoding: 'utf8' });
    return { exit: r.status, stdout: r.stdout, stderr: r.stderr, status: read(join(dir, 'drift/drift-staging.status')).trim(), plan: read(join(dir, 'drift/drift-staging.plan')) };
  }

  it('exit 0: clean, the job passes', () => {
    const r = runWith(0);
    expect([r.exit, r.status]).toEqual([0, 'clean']);
  });

  it('exit 2: drift, the job passes (the report opens the issue) and keeps the plan', () => {
    const r = runWith(2);
    expect([r.exit, r.status]).toEqual([0, 'drift']);
    expect(r.plan).toContain('fake plan output (exit 2)');
  });

  it('exit 1: error, the job fails and claims nothing about drift', () => {
    const r = runWith(1);
    expect([r.exit, r.status]).toEqual([1, 'error']);
    expect(r.stderr).toContain('terraform plan failed (exit 1) in staging');
  });

  it('without the || guard, sh -e stops at exit code 2 and writes no status (the test can fail)', () => {
    const r = runWith(2, DRIFT_SCRIPT.replace(' || code=$?', ''));
    expect(r.exit).toBe(2);
    expect(r.status).toBe('');
  });
});

describe('the plan step writes the merge request widget report', () => {
  function report(shown: string): Obj {
    const dir = fakeBin({ terraform: `#!/bin/sh\nif [ "$1" = show ]; then cat <<'EOF'\n${shown}\nEOF\nfi\n` });
    const r = spawnSync('sh', ['-e', '-c', PLAN_SCRIPT], { env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, CI_PROJECT_DIR: dir, ENVIRONMENT: 'staging' }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(read(join(dir, 'plan-staging.json'))) as Obj;
  }

  it('counts from the summary line; no changes is all zeros', () => {
    expect(report('  # aws_s3_bucket.x will be created\nPlan: 3 to add, 1 to change, 2 to destroy.')).toEqual({ create: 3, update: 1, delete: 2 });
    expect(report('Plan: 1 to import, 0 to add, 4 to change, 0 to destroy.')).toEqual({ create: 0, update: 4, delete: 0 });
    expect(report('No changes. Your infrastructure matches the configuration.')).toEqual({ create: 0, update: 0, delete: 0 });
  });
});

describe.runIf(hasJq)('the drift report, against a fake GitLab API (curl)', () => {
  /**
   * Runs the report in a folder holding drift/<env>.status and .plan; the fake curl records
   * each call (method, path, body) and answers the issue search with `issues`.
   */
  function runReport(statuses: Record<string, string>, issues: Obj[], plans: Record<string, string> = {}) {
    const dir = fakeBin({
      curl: [
        '#!/bin/sh',
        'method=GET; data=; url=',
        'while [ $# -gt 0 ]; do',
        '  case "$1" in',
        '    -X) method=$2; shift 2 ;;',
        '    -H) shift 2 ;;',
        '    --data) data=${2#@}; shift 2 ;;',
        '    -*) shift ;;',
        '    *) url=$1; shift ;;',
        '  esac',
        'done',
        'path=${url#"$CI_API_V4_URL/projects/$CI_PROJECT_ID"}',
        'if [ -n "$data" ]; then cp "$data" "$CALLS.body"; else echo null > "$CALLS.body"; fi',
        'jq -cn --arg m "$method" --arg p "$path" --slurpfile b "$CALLS.body" \'{method: $m, path: $p, body: $b[0]}\' >> "$CALLS"',
        'case "$method $path" in',
        '  "GET /issues"*) printf \'%s\' "$ISSUES" ;;',
        '  "POST /issues") echo \'{"iid": 7}\' ;;',
        '  *) echo \'{}\' ;;',
        'esac',
      ].join('\n') + '\n',
    });
    mkdirSync(join(dir, 'drift'));
    for (const [env, s] of Object.entries(statuses)) writeFileSync(join(dir, `drift/drift-${env}.status`), `${s}\n`);
    for (const [env, p] of Object.entries(plans)) writeFileSync(join(dir, `drift/drift-${env}.plan`), p);
    const env = {
      PATH: `${join(dir, 'bin')}:${process.env['PATH']}`,
      INFRA_DRIFT_TOKEN: 'glpat-test',
      CI_API_V4_URL: 'https://gitlab.example.com/api/v4',
      CI_PROJECT_ID: '42',
      CI_PIPELINE_URL: 'https://gitlab.example.com/acme/shop/-/pipelines/99',
      ENVIRONMENTS: 'staging,production',
      ISSUE_TITLE: 'Infrastructure drift detected',
      ISSUE_LABEL: 'infra-drift',
      ISSUES: JSON.stringify(issues),
      CALLS: join(dir, 'calls'),
    };
    const r = spawnSync('sh', ['-e', '-c', DRIFT_REPORT_SCRIPT], { cwd: dir, env, encoding: 'utf8' });
    const calls = read(join(dir, 'calls')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Obj);
    return { exit: r.status, stdout: r.stdout, stderr: r.stderr, calls };
  }
  const verbs = (calls: Obj[]) => calls.map((c) => `${c['method']} ${c['path']}`);

  it('drift opens one labelled issue with the plan, fenced so the plan cannot close the fence, and cut to fit', () => {
    const r = runReport({ staging: 'clean', production: 'drift' }, [], { production: '  # aws_security_group.x has changed\n```\n' + 'é'.repeat(500_000) });
    expect(r.exit, r.stderr).toBe(0);
    expect(verbs(r.calls)).toEqual(['GET /issues?state=opened&labels=infra-drift&per_page=100', 'POST /issues']);
    const body = r.calls[1]!['body'] as Obj;
    expect(body['title']).toBe('Infrastructure drift detected');
    expect(body['labels']).toBe('infra-drift');
    const text = body['description'] as string;
    expect(text.startsWith('<!-- devops-init:infra-drift -->')).toBe(true);
    expect(text).toContain('changes in production');
    expect(text).toContain('### production\n\n````text\n  # aws_security_group.x has changed');
    expect(text).toContain('more characters: the full plan is in the job artifacts.');
    expect(Array.from(text).length).toBeLessThan(1_048_576);
    expect(r.stdout).toContain('Opened issue #7');
  });

  it('drift again updates the issue found by its marker; an unmarked issue with the label is not it', () => {
    const issues = [{ iid: 3, description: 'someone else' }, { iid: 5, description: '<!-- devops-init:infra-drift -->\nold' }];
    const r = runReport({ staging: 'drift', production: 'error' }, issues, { staging: 'changed\n' });
    expect(verbs(r.calls)).toEqual(['GET /issues?state=opened&labels=infra-drift&per_page=100', 'PUT /issues/5']);
    expect(r.calls[1]!['body']['description']).toContain('### production\n\nThe plan failed: drift unknown.');
  });

  it('a clean night comments and closes the issue; an error leaves it alone', () => {
    const issues = [{ iid: 5, description: '<!-- devops-init:infra-drift -->' }];
    const clean = runReport({ staging: 'clean', production: 'clean' }, issues);
    expect(verbs(clean.calls)).toEqual(['GET /issues?state=opened&labels=infra-drift&per_page=100', 'POST /issues/5/notes', 'PUT /issues/5']);
    expect(clean.calls[2]!['body']).toEqual({ state_event: 'close' });
    const unknown = runReport({ staging: 'clean' }, issues);
    expect(verbs(unknown.calls)).toEqual(['GET /issues?state=opened&labels=infra-drift&per_page=100']);
    expect(unknown.stdout).toContain('Drift unknown in production');
    expect(verbs(runReport({ staging: 'clean', production: 'clean' }, []).calls)).toHaveLength(1);
  });

  it('without the token it fails and says what to set', () => {
    const r = spawnSync('sh', ['-e', '-c', DRIFT_REPORT_SCRIPT], { env: { PATH: process.env['PATH']! }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('INFRA_DRIFT_TOKEN is not set');
  });
});
