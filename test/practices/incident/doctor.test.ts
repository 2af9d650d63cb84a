import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addBusinessDays, auditRepo, gitlabMinutes, previousQuarterStart, recordDate, type AuditFinding } from '../../../src/commands/doctor-audit.js';
import { parseSpec } from '../../../src/spec/load.js';
import { computeTree } from '../../../src/tree/compute.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-audit-'));
  made.push(dir);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const SHA = 'a'.repeat(40);
/** A hand-written repository that follows the handbook: the base every mistake is seeded into. */
const GOOD: Record<string, string> = {
  '.github/workflows/ci.yml': `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@${SHA} # v4
      - run: trivy fs . && gitleaks detect
`,
  '.github/workflows/previews.yml': `name: previews
on: [pull_request]
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - run: echo preview
`,
  'monitoring/rules/api.rules.yml': `groups:
  - name: api
    rules:
      - alert: ApiAvailabilityFastBurn
        expr: slo:sli_error:ratio_rate1h > 0.0144
        annotations:
          runbook_url: https://github.com/acme/shop/blob/main/docs/runbooks/ApiAvailabilityFastBurn.md
`,
  'docs/runbooks/ApiAvailabilityFastBurn.md': '# Runbook\n',
  'monitoring/dashboards/api-dashboard.json': '{}',
};

const rules = (files: Record<string, string>): AuditFinding['rule'][] => auditRepo(repo(files)).findings.map((f) => f.rule);

describe('doctor audit: each handbook mistake, seeded in a fixture, is found', () => {
  it('a repository that follows the handbook has no findings', () => {
    expect(auditRepo(repo(GOOD)).findings).toEqual([]);
  });
  it('CPU-threshold alert', () => {
    const f = { ...GOOD, 'monitoring/rules/cpu.yml': 'groups:\n  - name: cpu\n    rules:\n      - alert: HighCpu\n        expr: rate(container_cpu_usage_seconds_total[5m]) > 0.9\n        annotations:\n          runbook_url: https://wiki.example.com/cpu\n' };
    expect(rules(f)).toEqual(['cpu-alert']);
    const finding = auditRepo(repo(f)).findings[0]!;
    expect(finding.file).toBe('monitoring/rules/cpu.yml');
    expect(finding.why).toContain('Alerting on CPU thresholds instead of user-impacting SLOs');
    expect(finding.fix).toContain('devops-init add monitoring');
  });
  it('alert without a runbook: no annotation, or a repository file that does not exist', () => {
    expect(rules(Object.fromEntries(Object.entries(GOOD).filter(([p]) => !p.startsWith('docs/runbooks/'))))).toEqual(['alert-without-runbook']);
    expect(rules({ ...GOOD, 'monitoring/rules/x.yml': 'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: up == 0\n' })).toEqual(['alert-without-runbook']);
  });
  it('dashboards without alerts (set up Grafana and forget)', () => {
    const f = Object.fromEntries(Object.entries(GOOD).filter(([p]) => !p.startsWith('monitoring/rules/')));
    expect(rules(f)).toEqual(['dashboards-without-alerts']);
  });
  it('CI job without a timeout (GitHub and GitLab)', () => {
    expect(rules({ ...GOOD, '.github/workflows/ci.yml': GOOD['.github/workflows/ci.yml']!.replace('    timeout-minutes: 10\n', '') })).toEqual(['ci-job-without-timeout']);
    expect(rules({ ...GOOD, '.gitlab-ci.yml': 'stages: [test]\nunit:\n  stage: test\n  script: [make test]\nlint:\n  timeout: 5m\n  script: [make lint]\n' })).toEqual(['ci-job-without-timeout']);
  });
  it('CI job that may run past 15 minutes on every change (GitHub and GitLab), with the handbook\'s reason', () => {
    const ci = GOOD['.github/workflows/ci.yml']!;
    const long = auditRepo(repo({ ...GOOD, '.github/workflows/ci.yml': ci.replace('timeout-minutes: 10', 'timeout-minutes: 30') })).findings;
    expect(long.map((f) => f.rule)).toEqual(['ci-job-over-15-minutes']);
    expect(long[0]!.file).toBe('.github/workflows/ci.yml');
    expect(long[0]!.why).toContain('balloon past 15 minutes');
    expect(rules({ ...GOOD, '.github/workflows/ci.yml': ci.replace('timeout-minutes: 10', 'timeout-minutes: 15') })).toEqual([]);
    // Not the feedback loop: a scheduled/manual workflow, a deployment job.
    expect(rules({ ...GOOD, '.github/workflows/ci.yml': ci, '.github/workflows/nightly.yml': 'on:\n  schedule: [{cron: "0 3 * * *"}]\n  workflow_dispatch: {}\njobs:\n  soak:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 120\n    steps: [{run: make soak}]\n' })).toEqual([]);
    expect(rules({ ...GOOD, '.github/workflows/deploy.yml': 'on: [push]\njobs:\n  production:\n    runs-on: ubuntu-24.04\n    environment: production\n    timeout-minutes: 60\n    steps: [{run: make deploy}]\n' })).toEqual([]);
    const gl = (body: string) => rules({ ...GOOD, '.gitlab-ci.yml': body });
    expect(gl('unit:\n  timeout: 1h\n  script: [make test]\n')).toEqual(['ci-job-over-15-minutes']);
    expect(gl('default:\n  timeout: 30 minutes\nunit:\n  script: [make test]\n')).toEqual(['ci-job-over-15-minutes']);
    expect(gl('unit:\n  timeout: 15m\n  script: [make test]\n')).toEqual([]);
    expect(gl('soak:\n  timeout: 2h\n  rules: [{if: \'$CI_PIPELINE_SOURCE == "schedule"\'}]\n  script: [make soak]\n')).toEqual([]);
  });
  it('reads a GitLab job through extends, across included files (a thin job takes its template\'s timeout and script)', () => {
    const gl = (template: string, job: string) => rules({ ...GOOD, '.gitlab-ci.yml': 'include:\n  - local: .gitlab/ci/templates.yml\n', '.gitlab/ci/templates.yml': template, '.gitlab/ci/api.yml': job });
    const thin = 'api:test:\n  extends: .checks\n  variables: {SERVICE_DIR: api}\n';
    expect(gl('.checks:\n  timeout: 15m\n  script: [make test]\n', thin)).toEqual([]);
    expect(gl('.checks:\n  timeout: 1h\n  script: [make test]\n', thin)).toEqual(['ci-job-over-15-minutes']);
    expect(gl('.checks:\n  script: [make test]\n', thin)).toEqual(['ci-job-without-timeout']);
    // The job's own timeout wins over its template's, as in GitLab.
    expect(gl('.checks:\n  timeout: 1h\n  script: [make test]\n', `${thin}  timeout: 10m\n`)).toEqual([]);
    // Through two levels (a service's toolchain extends the stack's template).
    expect(gl('.checks:\n  timeout: 2h\n', '.api:toolchain:\n  extends: .checks\napi:lint:\n  extends: .api:toolchain\n  script: [make lint]\n')).toEqual(['ci-job-over-15-minutes']);
  });
  it('reusable workflows: called jobs need timeouts and count as the feedback loop; calling jobs need none', () => {
    const called = 'on:\n  workflow_call: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 15\n    steps: [{run: make}]\n';
    const caller = 'on: [push]\njobs:\n  build:\n    uses: ./.github/workflows/_build.yml\n';
    const base = { ...GOOD, '.github/workflows/svc.yml': caller };
    expect(rules({ ...base, '.github/workflows/_build.yml': called })).toEqual([]);
    expect(rules({ ...base, '.github/workflows/_build.yml': called.replace('    timeout-minutes: 15\n', '') })).toEqual(['ci-job-without-timeout']);
    expect(rules({ ...base, '.github/workflows/_build.yml': called.replace('timeout-minutes: 15', 'timeout-minutes: 40') })).toEqual(['ci-job-over-15-minutes']);
  });
  it('reads GitLab durations', () => {
    expect([gitlabMinutes('90m'), gitlabMinutes('1h 30m'), gitlabMinutes('1h30m'), gitlabMinutes('2 hours'), gitlabMinutes('15 minutes'), gitlabMinutes(3600), gitlabMinutes('soon')]).toEqual([90, 90, 90, 120, 15, 60, undefined]);
  });
  it('no Trivy, no gitleaks', () => {
    expect(rules({ ...GOOD, '.github/workflows/ci.yml': GOOD['.github/workflows/ci.yml']!.replace('trivy fs . && ', '') })).toEqual(['no-trivy']);
    expect(rules({ ...GOOD, '.github/workflows/ci.yml': GOOD['.github/workflows/ci.yml']!.replace(' && gitleaks detect', '') })).toEqual(['no-gitleaks']);
  });
  it('no preview environments', () => {
    expect(rules(Object.fromEntries(Object.entries(GOOD).filter(([p]) => p !== '.github/workflows/previews.yml')))).toEqual(['no-preview-environments']);
  });
  it('unpinned actions (tag or branch), not local actions', () => {
    const wf = GOOD['.github/workflows/ci.yml']!.replace(`actions/checkout@${SHA} # v4`, 'actions/checkout@v4\n      - uses: ./local-action');
    const found = auditRepo(repo({ ...GOOD, '.github/workflows/ci.yml': wf })).findings;
    expect(found.map((f) => f.rule)).toEqual(['unpinned-action']);
    expect(found[0]!.why).toContain('actions/checkout@v4');
  });
  it('no CI at all', () => {
    expect(rules({ 'README.md': '# x\n' })).toEqual(['no-ci', 'no-preview-environments']);
  });
  it('says what it cannot know offline instead of guessing (no drill or postmortem record at all)', () => {
    const { skipped } = auditRepo(repo(GOOD));
    expect(skipped.map((s) => s.rule)).toEqual(['no-drill-last-quarter', 'no-postmortem-for-closed-incident']);
    expect(skipped[0]!.why).toMatch(/^cannot tell: no drill record in docs\/incident\/drills\//);
    expect(skipped[1]!.why).toMatch(/^cannot tell: no postmortem in docs\/postmortems\//);
  });
});

describe('doctor audit: drill and postmortem history from the repository', () => {
  // Wednesday 2026-12-02: Q4; last quarter started 2026-07-01.
  const NOW = new Date('2026-12-02T12:00:00Z');
  const FINISHED = '# Postmortem: checkout down\n\n- **Incident issue:** #42\n- **Date (UTC):** 2026-11-20\n\n| 10:02 | First alert fired |\n';
  const TEMPLATE = '# Postmortem: INCIDENT TITLE\n\n- **Incident issue:** #NUMBER\n- **Date (UTC):** YYYY-MM-DD\n\n| HH:MM | First alert fired |\n';
  const audit = (files: Record<string, string>) => auditRepo(repo({ ...GOOD, ...files }), NOW);

  it('reads dates from record names (quarter, month, day); other names have none', () => {
    expect(recordDate('docs/incident/drills/2026-Q3.md')?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(recordDate('2026-08.md')?.toISOString()).toBe('2026-08-01T00:00:00.000Z');
    expect(recordDate('2026-11-20-checkout.md')?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect([recordDate('notes.md'), recordDate('2026-13.md'), recordDate('2026-Q5.md')]).toEqual([undefined, undefined, undefined]);
    expect(previousQuarterStart(new Date('2026-02-10T00:00:00Z')).toISOString()).toBe('2025-10-01T00:00:00.000Z');
  });

  it('counts business days across weekends', () => {
    // Friday 2026-11-20 + 5 business days = Friday 2026-11-27; Saturday + 1 = Monday.
    expect(addBusinessDays(new Date('2026-11-20T00:00:00Z'), 5).toISOString().slice(0, 10)).toBe('2026-11-27');
    expect(addBusinessDays(new Date('2026-11-21T00:00:00Z'), 1).toISOString().slice(0, 10)).toBe('2026-11-23');
  });

  it('a drill recorded this quarter or last passes; an older latest drill is a finding naming its file', () => {
    expect(audit({ 'docs/incident/drills/2026-Q3.md': '# drill\n' }).findings).toEqual([]);
    expect(audit({ 'docs/incident/drills/2026-Q4.md': '# drill\n' }).findings).toEqual([]);
    const old = audit({ 'docs/incident/drills/2025-Q4.md': '# drill\n', 'docs/incident/drills/2026-Q2.md': '# drill\n', 'docs/incident/drills/README.md': '# how\n' });
    expect(old.findings.map((f) => [f.rule, f.file])).toEqual([['no-drill-last-quarter', 'docs/incident/drills/2026-Q2.md']]);
    expect(old.findings[0]!.why).toContain('untested DR is no DR');
    expect(old.findings[0]!.fix).toContain('docs/incident/drills/2026-Q4.md');
    expect(old.skipped.map((s) => s.rule)).toEqual(['no-postmortem-for-closed-incident']);
  });

  it('a README alone is no record: doctor says it cannot tell', () => {
    expect(audit({ 'docs/incident/drills/README.md': '# how\n' }).skipped.map((s) => s.rule)).toContain('no-drill-last-quarter');
  });

  it('a postmortem still holding the template past its due date is a finding; finished or not yet due ones pass', () => {
    expect(audit({ 'docs/postmortems/2026-11-20-checkout.md': FINISHED }).findings).toEqual([]);
    // Closed Monday 2026-11-30: due Monday 2026-12-07, not yet.
    expect(audit({ 'docs/postmortems/2026-11-30-checkout.md': TEMPLATE }).findings).toEqual([]);
    const late = audit({ 'docs/postmortems/2026-11-20-checkout.md': TEMPLATE }).findings;
    expect(late.map((f) => [f.rule, f.file])).toEqual([['no-postmortem-for-closed-incident', 'docs/postmortems/2026-11-20-checkout.md']]);
    expect(late[0]!.why).toContain('due 2026-11-27');
    expect(audit({ 'docs/postmortems/checkout.md': FINISHED }).findings.map((f) => f.rule)).toEqual(['no-postmortem-for-closed-incident']);
  });

  it('reads the postmortem clock from devops.yaml', () => {
    const spec = 'incident:\n  postmortemBusinessDays: 10\n';
    expect(audit({ 'devops.yaml': spec, 'docs/postmortems/2026-11-20-checkout.md': TEMPLATE }).findings).toEqual([]);
  });
});

describe('doctor audit: a clean generated repository has no findings', () => {
  const GOLDEN = fileURLToPath(new URL('../../golden/', import.meta.url));
  for (const name of ['incident', 'gitlab-incident']) {
    it(`golden case ${name}`, () => {
      const spec = parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).spec;
      const files = computeTree(spec).toRecord();
      // Every generated job that gives feedback on a change is capped at the handbook's 15 minutes.
      expect(auditRepo(repo(files)).findings).toEqual([]);
      // Not vacuous: the same repository without its runbooks and with a tag-pinned action is flagged.
      const broken = Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith('docs/runbooks/')));
      const found = auditRepo(repo(broken)).findings.map((f) => f.rule);
      expect(found).toContain('alert-without-runbook');
      // GitLab's per-service jobs are thin: their timeouts come from the shared templates, and
      // a template past 15 minutes is found on the jobs that extend it.
      if (files['.gitlab/ci/templates/image.yml']) {
        const long = { ...files, '.gitlab/ci/templates/image.yml': files['.gitlab/ci/templates/image.yml'].replace('.image-build:\n  stage: test\n', '.image-build:\n  stage: test\n  timeout: 45m\n').replace(/(\.image-build:[\s\S]*?)\n  timeout: "15m"/, '$1') };
        expect(long['.gitlab/ci/templates/image.yml']).toContain('timeout: 45m');
        const over = auditRepo(repo(long)).findings.filter((f) => f.rule === 'ci-job-over-15-minutes').map((f) => f.why.split(' ')[1]);
        expect(over.length).toBeGreaterThan(0);
        expect(over.every((j) => j!.endsWith(':image'))).toBe(true);
      }
    });
  }
});
