import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DRIFT_REPORT_SCRIPT, PLAN_REPORT_SCRIPT } from '../../../src/emit/github-actions/infra.js';
import { formatFindings, lintWorkflow } from '../../validators/actionlint.js';
import { shellcheckWorkflow } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';
import { workflowViolations } from '../ci/workflow-rules.js';
import { ACCOUNTS, fullSpec } from './cases.js';
import { renderUnder } from './render.js';

/**
 * The infrastructure workflows: actionlint, GitHub's workflow parser, shellcheck and the
 * project's hardening rules; the drift step's exit-code handling run for real with a fake
 * `terraform` exiting 0, 1 and 2; the two github-script reports run against a fake GitHub.
 */

const hasShellcheck = haveTool('shellcheck');
type Obj = Record<string, any>;

const workflows = renderUnder(fullSpec(), '.github/workflows/');
const infra = Object.entries(workflows).filter(([p]) => /infra-(plan|apply|drift)\.yml$/.test(p));
const wf = (name: string): Obj => parse(workflows[`.github/workflows/${name}.yml`]!) as Obj;

describe('infrastructure workflows pass the validators', () => {
  it('renders plan, apply and drift', () => expect(infra.map(([p]) => p).sort()).toEqual(['.github/workflows/infra-apply.yml', '.github/workflows/infra-drift.yml', '.github/workflows/infra-plan.yml']));

  it('actionlint reports nothing', async () => {
    for (const [path, text] of infra) expect(formatFindings(path, await lintWorkflow(text, path))).toEqual([]);
  });

  it("GitHub's workflow parser reports no errors", async () => {
    for (const [path, text] of infra) expect(await parseWithGitHub(text, path), path).toEqual([]);
  });

  it.runIf(hasShellcheck)('run: scripts are shellcheck-clean (info severity and up)', async () => {
    for (const [path, text] of infra) expect(await shellcheckWorkflow(text, 'info'), path).toEqual([]);
  });

  it('hardening rules: pinned actions, read-only defaults, timeouts, no ${{ }} in run:, no persisted credentials', () => {
    expect(infra.flatMap(([p, t]) => workflowViolations(p, t))).toEqual([]);
  });
});

describe('what each workflow does', () => {
  it('plan: on pull requests touching infra/, read-only role per environment, the only PR writer holds no cloud credentials', () => {
    const plan = wf('infra-plan');
    expect(plan['on']).toEqual({ pull_request: { paths: ['infra/**', '.github/workflows/infra-plan.yml'] } });
    const steps = (job: string) => (plan['jobs'][job]['steps'] as Obj[]);
    const runs = steps('static').map((s) => s['run'] ?? '').join('\n');
    expect(runs).toContain('terraform fmt -check -recursive -diff infra');
    expect(runs).toContain('init -backend=false');
    expect(runs).toMatch(/validate[\s\S]*terraform -chdir="\$dir" test/);
    const trivy = steps('static').find((s) => String(s['uses']).startsWith('aquasecurity/trivy-action@'))!;
    expect(trivy['with']).toMatchObject({ 'scan-type': 'config', 'scan-ref': 'infra', severity: 'HIGH,CRITICAL', 'exit-code': '1' });
    const matrix = plan['jobs']['plan']['strategy']['matrix']['include'] as Obj[];
    expect(matrix.map((m) => [m['environment'], m['role']])).toEqual([
      ['staging', `arn:aws:iam::${ACCOUNTS.staging}:role/shop-staging-tf-plan`],
      ['production', `arn:aws:iam::${ACCOUNTS.production}:role/shop-production-tf-plan`],
    ]);
    expect(plan['jobs']['plan']['permissions']).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(steps('plan').map((s) => s['run'] ?? '').join('\n')).toContain('-out=tfplan');
    expect(plan['jobs']['report']['permissions']).toEqual({ 'pull-requests': 'write' });
    expect(JSON.stringify(plan['jobs']['report'])).not.toContain('configure-aws-credentials');
  });

  it('apply: on merge, per environment in order, in its GitHub environment, never cancelled', () => {
    const apply = wf('infra-apply');
    expect(apply['on']['push']).toEqual({ branches: ['main'], paths: ['infra/**', '.github/workflows/infra-apply.yml'] });
    expect(apply['concurrency']).toEqual({ group: 'infra-apply', 'cancel-in-progress': false });
    expect(apply['jobs']['staging']['environment']).toBe('staging');
    expect(apply['jobs']['production']).toMatchObject({ environment: 'production', needs: 'staging' });
    const prod = apply['jobs']['production']['steps'] as Obj[];
    expect(prod.find((s) => String(s['uses']).startsWith('aws-actions/configure-aws-credentials@'))!['with']['role-to-assume']).toBe(`arn:aws:iam::${ACCOUNTS.production}:role/shop-production-tf-apply`);
    expect(prod.map((s) => s['run'] ?? '').join('\n')).toMatch(/plan [^\n]*-out=tfplan[\s\S]*apply [^\n]*tfplan/);
  });

  it('drift: nightly, no lock, no wrapper, detailed exit code; only issues: write to report', () => {
    const drift = wf('infra-drift');
    expect(drift['on']['schedule']).toEqual([{ cron: '17 4 * * *' }]);
    const steps = drift['jobs']['plan']['steps'] as Obj[];
    expect(steps.find((s) => String(s['uses']).startsWith('hashicorp/setup-terraform@'))!['with']['terraform_wrapper']).toBe(false);
    expect(steps.find((s) => s['id'] === 'drift')!['run']).toContain('terraform plan -input=false -lock=false -detailed-exitcode');
    expect(drift['jobs']['report']['permissions']).toEqual({ issues: 'write' });
  });
});

describe('the drift step, run with a fake terraform', () => {
  const script = (wf('infra-drift')['jobs']['plan']['steps'] as Obj[]).find((s) => s['id'] === 'drift')!['run'] as string;

  /** Runs the step's script as GitHub would (bash -e) with `terraform` exiting `code`. */
  function runWith(code: number) {
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-drift-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/terraform'), `#!/bin/sh\necho "fake plan output (exit ${code})"\nexit ${code}\n`);
    chmodSync(join(dir, 'bin/terraform'), 0o755);
    writeFileSync(join(dir, 'step.sh'), script);
    const env = { PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, RUNNER_TEMP: dir, GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), ENVIRONMENT: 'staging' };
    const r = spawnSync('bash', ['-e', join(dir, 'step.sh')], { env, encoding: 'utf8' });
    const read = (f: string) => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } };
    return { exit: r.status, stdout: r.stdout, output: read('output'), status: read('drift-staging.status').trim(), plan: read('drift-staging.plan') };
  }

  it('exit 0: clean, the step passes', () => {
    const r = runWith(0);
    expect([r.exit, r.status, r.output]).toEqual([0, 'clean', 'status=clean\n']);
  });

  it('exit 2: drift, the step passes (the report opens the issue) and keeps the plan', () => {
    const r = runWith(2);
    expect([r.exit, r.status, r.output]).toEqual([0, 'drift', 'status=drift\n']);
    expect(r.plan).toContain('fake plan output (exit 2)');
  });

  it('exit 1: error, the step fails and claims nothing about drift', () => {
    const r = runWith(1);
    expect([r.exit, r.status]).toEqual([1, 'error']);
    expect(r.stdout).toContain('::error::terraform plan failed (exit 1) in staging');
  });

  it('a script that lets bash -e stop at exit code 2 is caught (the test can fail)', () => {
    const naive = 'terraform plan -detailed-exitcode\necho "status=clean" >> "$GITHUB_OUTPUT"\n';
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-drift-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/terraform'), '#!/bin/sh\nexit 2\n');
    chmodSync(join(dir, 'bin/terraform'), 0o755);
    writeFileSync(join(dir, 'naive.sh'), naive);
    const r = spawnSync('bash', ['-e', join(dir, 'naive.sh')], { env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, GITHUB_OUTPUT: join(dir, 'o') }, encoding: 'utf8' });
    expect(r.status).toBe(2);
  });
});

/** Run a github-script body the way the action does: an async function of require, github, context, core. */
async function runScript(script: string, cwd: string, env: Record<string, string>, github: Obj) {
  const calls: [string, Obj][] = [];
  const record = (name: string, result: Obj = {}) => async (args: Obj) => {
    calls.push([name, args]);
    return { data: result };
  };
  const gh = {
    paginate: async (fn: (a: Obj) => Promise<{ data: Obj[] }>, args: Obj) => (await fn(args)).data,
    rest: { issues: { listComments: async () => ({ data: github['comments'] ?? [] }), listForRepo: async () => ({ data: github['issues'] ?? [] }), createComment: record('createComment'), updateComment: record('updateComment'), create: record('create', { number: 7 }), update: record('update') } },
  };
  const summary: string[] = [];
  const core = { summary: { addRaw: (t: string) => { summary.push(t); return { write: async () => undefined }; } }, info: () => undefined, warning: () => undefined };
  const context = { repo: { owner: 'acme', repo: 'shop' }, issue: { number: 42 }, sha: 'abcdef1234567', runId: 99, serverUrl: 'https://github.com' };
  const saved = { cwd: process.cwd(), env: { ...process.env } };
  process.chdir(cwd);
  Object.assign(process.env, env);
  try {
    const fn = new Function('require', 'github', 'context', 'core', `return (async () => {\n${script}\n})();`);
    await fn((m: string) => (m === 'fs' ? { readFileSync } : undefined), gh, context, core);
  } finally {
    process.chdir(saved.cwd);
    for (const k of Object.keys(env)) {
      if (saved.env[k] === undefined) delete process.env[k];
      else process.env[k] = saved.env[k];
    }
  }
  return { calls, summary };
}

describe('the report scripts, against a fake GitHub', () => {
  it('plan report: one comment found again by its marker and updated; long plans truncated; fences cannot be closed by the plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-plans-'));
    mkdirSync(join(dir, 'plans'));
    writeFileSync(join(dir, 'plans/plan-staging.txt'), 'Plan: 1 to add, 0 to change, 0 to destroy.\n```\n' + 'é'.repeat(100_000));
    const first = await runScript(PLAN_REPORT_SCRIPT, dir, { ENVIRONMENTS: 'staging,production', PLAN_RESULT: 'failure' }, {});
    expect(first.calls.map(([n]) => n)).toEqual(['createComment']);
    const body = first.calls[0]![1]['body'] as string;
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain('<b>staging</b>: Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(body).toContain('more characters: the full text is in the run\'s artifacts');
    expect(body).toContain('````text');
    expect(body).toContain('### production\n\nNo plan');
    expect(first.summary).toEqual([body]);
    const again = await runScript(PLAN_REPORT_SCRIPT, dir, { ENVIRONMENTS: 'staging,production', PLAN_RESULT: 'success' }, { comments: [{ id: 5, user: { type: 'Bot' }, body }] });
    expect(again.calls.map(([n, a]) => [n, a['comment_id']])).toEqual([['updateComment', 5]]);
  });

  it('drift report: opens one issue on drift, updates it the next night, closes it when clean, leaves it on errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-drift-report-'));
    mkdirSync(join(dir, 'drift'));
    const status = (env: string, s: string) => writeFileSync(join(dir, `drift/drift-${env}.status`), `${s}\n`);
    writeFileSync(join(dir, 'drift/drift-production.plan'), '  # aws_security_group.x has changed\n');
    const env = { ENVIRONMENTS: 'staging,production', ISSUE_TITLE: 'Infrastructure drift detected' };
    status('staging', 'clean');
    status('production', 'drift');
    const opened = await runScript(DRIFT_REPORT_SCRIPT, dir, env, {});
    expect(opened.calls.map(([n]) => n)).toEqual(['create']);
    const issue = { number: 7, body: opened.calls[0]![1]['body'] };
    expect(issue.body).toContain('aws_security_group.x has changed');
    const updated = await runScript(DRIFT_REPORT_SCRIPT, dir, env, { issues: [issue] });
    expect(updated.calls.map(([n, a]) => [n, a['issue_number']])).toEqual([['update', 7]]);
    status('production', 'error');
    const unknown = await runScript(DRIFT_REPORT_SCRIPT, dir, env, { issues: [issue] });
    expect(unknown.calls).toEqual([]);
    status('production', 'clean');
    const closed = await runScript(DRIFT_REPORT_SCRIPT, dir, env, { issues: [issue] });
    expect(closed.calls.map(([n, a]) => [n, a['state'] ?? null])).toEqual([['createComment', null], ['update', 'closed']]);
  });
});

describe('CI uses the identities the infrastructure creates', () => {
  it('the image job pushes to the production account\'s ECR with the push role; previews use the preview role', () => {
    // The push role is the shared image workflow's; each service's caller passes its repository.
    expect(workflows['.github/workflows/_image.yml']!).toContain(`role-to-assume: "arn:aws:iam::${ACCOUNTS.production}:role/shop-image-push"`);
    expect(workflows['.github/workflows/ci-api.yml']!).toContain(`image: "${ACCOUNTS.production}.dkr.ecr.eu-west-1.amazonaws.com/shop/api"`);
    const previews = workflows['.github/workflows/previews.yml']!;
    expect(previews).toContain(`role-to-assume: "arn:aws:iam::${ACCOUNTS.production}:role/shop-preview-push"`);
  });
});
