import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_PINS } from '../../../src/data/action-pins.js';
import type { Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { lintWorkflow } from '../../validators/actionlint.js';
import { validateGitlabPipeline } from '../../validators/gitlab-ci-local.js';
import { shellcheckFile, shellcheckWorkflow } from '../../validators/shellcheck.js';
import { parseWithGitHub } from '../../validators/workflow-parser.js';
import { haveTool } from '../../validators/tool.js';

const SERVICES = [
  { name: 'api', path: 'services/api', language: 'node', deploy: { strategy: 'canary' } },
  { name: 'web', path: 'services/web', language: 'python' },
];
const github = (): Spec => makeSpec({ practices: ['ci', 'gitops', 'deploy', 'monitoring', 'incident'], services: SERVICES });
const gitlab = (): Spec => makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'], services: SERVICES, ci: { provider: 'gitlab' } });
const WF = '.github/workflows/incident-drill.yml';
const GH_SCRIPT = '.github/incident/rehearse.sh';
const GL_SCRIPT = '.gitlab/incident/rehearse.sh';

type Job = { if?: string; environment?: string; permissions?: unknown; steps: { uses?: string; run?: string; env?: Record<string, string> }[] };

describe('failover rehearsal on GitHub: a manual job, guarded to staging', () => {
  const files = computeTree(github()).toRecord();
  const text = files[WF]!;
  const wf = parse(text) as { on: { workflow_dispatch: { inputs: Record<string, { options?: string[]; default?: string }> } }; jobs: Record<string, Job> };

  it('passes actionlint, GitHub\'s workflow parser and shellcheck on its run: step', async () => {
    expect(await lintWorkflow(text, WF)).toEqual([]);
    expect(await parseWithGitHub(text, WF)).toEqual([]);
    expect(await shellcheckWorkflow(text)).toEqual([]);
  });

  it('runs only by hand, for a listed service, staging by default; production needs the typed confirmation and its protected environment', () => {
    const inputs = wf.on.workflow_dispatch.inputs;
    expect(inputs['rehearse']!.options).toEqual(['none', 'api', 'web']);
    expect(inputs['rehearse']!.default).toBe('none');
    expect(inputs['environment']).toMatchObject({ default: 'staging', options: ['staging', 'production'] });
    const job = wf.jobs['rehearse']!;
    expect(job.if).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.rehearse != 'none' && (inputs.environment == 'staging' || inputs.confirm == 'production') }}");
    expect(job.environment).toBe("${{ inputs.environment == 'production' && 'production' || 'staging' }}");
    expect(job.permissions).toEqual({ contents: 'read' });
    // Inputs reach the script through env only; the script runs with the environment as its argument.
    const run = job.steps.find((s) => s.run)!;
    expect(run.run).toBe(`bash ${GH_SCRIPT} "$DRILL_ENVIRONMENT"`);
    expect(run.env).toMatchObject({ DRILL_SERVICE: '${{ inputs.rehearse }}', DRILL_KUBECONFIG: '${{ secrets.DRILL_KUBECONFIG }}' });
    for (const s of job.steps.filter((x) => x.uses)) expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(job.steps.map((s) => s.uses).filter(Boolean)).toEqual([`actions/checkout@${ACTION_PINS['actions/checkout'].sha}`, `azure/setup-kubectl@${ACTION_PINS['azure/setup-kubectl'].sha}`]);
  });

  it('the drill issue points at it', () => {
    expect(text).toContain('Automated rehearsal in staging');
  });

  it('no rehearsal where the setup has nothing to disturb (no GitOps namespaces)', () => {
    const bare = computeTree(makeSpec({ practices: ['ci', 'monitoring', 'incident'] })).toRecord();
    expect(bare[WF]).toBeDefined();
    expect(bare[WF]).not.toContain('  rehearse:');
    expect(bare[WF]).not.toContain('inputs:');
    expect(Object.keys(bare).some((p) => p.endsWith('rehearse.sh'))).toBe(false);
  });
});

describe.runIf(haveTool('shellcheck'))('the rehearsal script: shellcheck, and its guard refuses production', () => {
  const files = computeTree(github()).toRecord();
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-'));
  const script = join(dir, 'rehearse.sh');
  writeFileSync(script, files[GH_SCRIPT]!);

  it('passes shellcheck (and shellcheck catches a broken copy)', async () => {
    expect(await shellcheckFile(script)).toEqual([]);
    const broken = join(dir, 'broken.sh');
    writeFileSync(broken, files[GH_SCRIPT]!.replace('kubectl -n "$namespace" delete pod "${victims[@]}"', 'kubectl -n $namespace delete pod ${victims[@]}'));
    expect((await shellcheckFile(broken)).length).toBeGreaterThan(0);
  });

  // A fake kubectl records every call: the guard must refuse before touching the cluster.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  writeFileSync(join(bin, 'kubectl'), `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(log)}\ncase "$*" in\n  "config current-context") echo "$FAKE_CONTEXT" ;;\nesac\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  const run = (args: string[], env: Record<string, string>) => {
    writeFileSync(log, '');
    const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH']}`, DRILL_KUBECONFIG: 'apiVersion: v1', FAKE_CONTEXT: 'staging-cluster', ...env } });
    return { code: r.status, err: r.stderr, calls: spawnSync('cat', [log], { encoding: 'utf8' }).stdout };
  };

  it('refuses production without DRILL_CONFIRM=production, before any kubectl call', () => {
    const r = run(['production'], { DRILL_SERVICE: 'api' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing production');
    expect(r.calls).toBe('');
  });
  it('refuses no or an unknown environment, and an unknown service', () => {
    expect(run([], { DRILL_SERVICE: 'api' }).err).toContain('usage');
    expect(run(['prod'], { DRILL_SERVICE: 'api' }).code).toBe(2);
    const r = run(['staging'], { DRILL_SERVICE: 'db' });
    expect(r.err).toContain("unknown service 'db'");
    expect(r.calls).toBe('');
  });
  it('refuses a staging run whose kubeconfig context looks like production, before touching pods', () => {
    const r = run(['staging'], { DRILL_SERVICE: 'api', FAKE_CONTEXT: 'eks-production' });
    expect(r.code).toBe(2);
    expect(r.err).toContain("context 'eks-production'");
    expect(r.calls.trim()).toBe('config current-context');
  });
  it('refuses a context other than DRILL_CONTEXT', () => {
    expect(run(['staging'], { DRILL_SERVICE: 'api', DRILL_CONTEXT: 'staging-eks' }).err).toContain("not 'staging-eks'");
  });
});

describe('failover rehearsal on GitLab: web or scheduled pipelines with INCIDENT_TASK=rehearse (gitlab-ci-local)', () => {
  const files = computeTree(gitlab()).toRecord();
  const pipeline = Object.fromEntries(Object.entries(files).filter(([p]) => p === '.gitlab-ci.yml' || p.startsWith('.gitlab/')));

  it('writes the script and two jobs: staging, and a manual production job', () => {
    expect(files[GL_SCRIPT]).toContain('set -euo pipefail');
    const ci = parse(files['.gitlab/ci/incident-drill.yml']!) as Record<string, { environment?: unknown; script?: string[]; rules?: { when?: string }[] }>;
    expect(ci['incident:rehearse:staging']!.environment).toEqual({ name: 'staging', action: 'prepare' });
    expect(ci['incident:rehearse:staging']!.script).toEqual([`bash ${GL_SCRIPT} staging`]);
    expect(ci['incident:rehearse:production']!.environment).toEqual({ name: 'production', action: 'prepare' });
    expect(ci['incident:rehearse:production']!.rules![0]!.when).toBe('manual');
  });

  it('validates; no rehearsal job on pushes or the drill schedule; staging unless production is asked for', () => {
    expect(validateGitlabPipeline(pipeline).jobs.filter((j) => j.startsWith('incident:'))).toEqual([]);
    expect(validateGitlabPipeline(pipeline, { variables: { CI_PIPELINE_SOURCE: 'schedule', INCIDENT_TASK: 'drill' } }).jobs.filter((j) => j.includes('rehearse'))).toEqual([]);
    const staging = validateGitlabPipeline(pipeline, { variables: { CI_PIPELINE_SOURCE: 'web', INCIDENT_TASK: 'rehearse', DRILL_SERVICE: 'api' } });
    expect(staging.errors).toEqual([]);
    expect(staging.jobs.filter((j) => j.includes('rehearse'))).toEqual(['incident:rehearse:staging']);
    const production = validateGitlabPipeline(pipeline, { variables: { CI_PIPELINE_SOURCE: 'web', INCIDENT_TASK: 'rehearse', DRILL_SERVICE: 'api', DRILL_ENVIRONMENT: 'production' } });
    expect(production.jobs.filter((j) => j.includes('rehearse'))).toEqual(['incident:rehearse:production']);
  }, 300_000);
});
