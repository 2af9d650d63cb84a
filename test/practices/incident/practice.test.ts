import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../src/spec/load.js';
import type { PracticeId, Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { POSTMORTEM_RULE_JS, drillCron } from '../../../src/practices/incident/scripts.js';

const GOLDEN = fileURLToPath(new URL('../../golden/', import.meta.url));
const CASES = readdirSync(GOLDEN, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/** A golden case's spec with incident enabled (and monitoring, which it reads alerts from). */
export function caseWithIncident(name: string): Spec {
  const spec = parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).spec;
  const practices = [...new Set<PracticeId>([...spec.practices, 'incident'])];
  return { ...spec, practices };
}

function record(spec: Spec): Record<string, string> {
  return computeTree(spec).toRecord();
}

type Rule = { alert?: string; annotations?: Record<string, string> };
function runbookUrls(files: Record<string, string>): { alert: string; url: string }[] {
  return Object.entries(files)
    .filter(([p]) => p.startsWith('monitoring/kubernetes/') && p.endsWith('prometheusrule.yaml'))
    .flatMap(([, t]) => (parse(t) as { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules))
    .filter((r) => r.alert)
    .map((r) => ({ alert: r.alert!, url: r.annotations!['runbook_url']! }));
}

function pathOf(spec: Spec, url: string): string {
  const gitlab = spec.ci.provider === 'gitlab';
  const base = gitlab ? `${spec.ci.gitlab.url.replace(/\/+$/, '')}/${spec.project.repository}/-/blob/${spec.project.defaultBranch}/` : `https://github.com/${spec.project.repository}/blob/${spec.project.defaultBranch}/`;
  expect(url.startsWith(base), `${url} is a file of this repository`).toBe(true);
  return url.slice(base.length);
}

describe('incident: every runbook_url resolves to a generated runbook', () => {
  const strategies = ['rolling', 'canary', 'bluegreen'] as const;
  for (const name of CASES) {
    it(`golden case ${name} (every strategy)`, () => {
      const base = caseWithIncident(name);
      for (const strategy of strategies) {
        const spec: Spec = { ...base, services: base.services.map((s) => ({ ...s, deploy: { ...s.deploy, strategy } })) };
        const files = record(spec);
        const urls = runbookUrls(files);
        if (!spec.practices.includes('monitoring')) expect(urls).toEqual([]);
        for (const { alert, url } of urls) {
          const path = pathOf(spec, url);
          expect(files[path], `${alert}: ${path}`).toBeDefined();
          expect(files[path]).toContain(`# Runbook: ${alert}`);
          expect(files['docs/runbooks/README.md']).toContain(`\`${alert}\``);
        }
      }
    });
  }

  it('fails when an alert has no runbook (the check above is not vacuous)', () => {
    const spec = makeSpec({ practices: ['monitoring'] });
    const files = record(spec);
    const urls = runbookUrls(files);
    expect(urls.length).toBeGreaterThan(0);
    expect(files[pathOf(spec, urls[0]!.url)]).toBeUndefined();
  });

  it('adding a service adds its runbooks; removing one drops them from the index', () => {
    const one = makeSpec({ practices: ['monitoring', 'incident'] });
    const two = makeSpec({
      practices: ['monitoring', 'incident'],
      services: [...(one.services as unknown as Record<string, unknown>[]).map((s) => ({ name: s['name'], path: 'api', language: 'node' })), { name: 'web', path: 'web', language: 'python' }],
    });
    const a = record(one);
    const b = record(two);
    const runbooksOf = (r: Record<string, string>) => Object.keys(r).filter((p) => p.startsWith('docs/runbooks/') && !p.endsWith('README.md'));
    expect(runbooksOf(b).filter((p) => p.includes('Web'))).not.toEqual([]);
    expect(runbooksOf(a).some((p) => p.includes('Web'))).toBe(false);
    expect(b['docs/runbooks/README.md']).toMatch(/Web/);
    expect(a['docs/runbooks/README.md']).not.toMatch(/Web/);
  });

  it('runbooks match the setup: Rollout abort with canary, git revert with GitOps, kill switch with flags', () => {
    const spec = makeSpec({ practices: ['gitops', 'deploy', 'monitoring', 'incident'], services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary', featureFlags: true } }] });
    const files = record(spec);
    const page = Object.entries(files).find(([p]) => p.startsWith('docs/runbooks/') && p.includes('FastBurn'))![1];
    expect(page).toContain('kubectl argo rollouts -n shop-production abort api');
    expect(page).toContain('git revert <promotion-commit>');
    expect(page).toContain('Kill switch');
    expect(page).toContain('```promql');
    const rolling = record(makeSpec({ practices: ['gitops', 'monitoring', 'incident'] }));
    const page2 = Object.entries(rolling).find(([p]) => p.startsWith('docs/runbooks/') && p.includes('FastBurn'))![1];
    expect(page2).not.toContain('argo rollouts');
    expect(page2).not.toContain('Kill switch');
  });
});

describe('incident: the postmortem clock (business days, fixed dates)', () => {
  const rule = new Function(`${POSTMORTEM_RULE_JS}; return { businessDaysBetween, overdueIncidents };`)() as {
    businessDaysBetween(a: Date, b: Date): number;
    overdueIncidents(i: unknown[], p: unknown[], now: Date, days: number, label: string): { number: number }[];
  };
  const d = (s: string) => new Date(`${s}T12:00:00Z`);
  it('counts Monday to Friday only', () => {
    // 2026-01-02 is a Friday.
    expect(rule.businessDaysBetween(d('2026-01-02'), d('2026-01-03'))).toBe(0); // Saturday
    expect(rule.businessDaysBetween(d('2026-01-02'), d('2026-01-04'))).toBe(0); // Sunday
    expect(rule.businessDaysBetween(d('2026-01-02'), d('2026-01-05'))).toBe(1); // Monday
    expect(rule.businessDaysBetween(d('2026-01-02'), d('2026-01-09'))).toBe(5); // next Friday
    expect(rule.businessDaysBetween(d('2026-01-02'), d('2026-01-12'))).toBe(6); // next Monday
    // Closed on a Saturday: the clock starts Monday.
    expect(rule.businessDaysBetween(d('2026-01-03'), d('2026-01-09'))).toBe(5);
    expect(rule.businessDaysBetween(d('2026-01-09'), d('2026-01-09'))).toBe(0);
  });
  it('reminds an incident once, only past 5 business days and without a linked postmortem', () => {
    const incidents = [
      { number: 1, closedAt: '2026-01-02T16:00:00Z', labels: ['incident'] },
      { number: 2, closedAt: '2026-01-02T16:00:00Z', labels: ['incident'] },
      { number: 3, closedAt: '2026-01-02T16:00:00Z', labels: ['incident', 'postmortem-overdue'] },
      { number: 4, closedAt: '2026-01-06T16:00:00Z', labels: ['incident'] },
      { number: 5, closedAt: null, labels: ['incident'] },
    ];
    const postmortems = [{ number: 9, body: '### Incident issue\n\n#2\n\n### Action items\n\n- [ ] #4\n' }];
    expect(rule.overdueIncidents(incidents, postmortems, d('2026-01-09'), 5, 'postmortem-overdue')).toEqual([]);
    expect(rule.overdueIncidents(incidents, postmortems, d('2026-01-12'), 5, 'postmortem-overdue').map((i) => i.number)).toEqual([1]);
  });
});

describe('incident: the drill schedule fires once per quarter', () => {
  function fires(cron: string, date: Date): boolean {
    const [min, hour, dom, month, dow] = cron.split(' ');
    const match = (field: string, v: number) => field === '*' || field.split(',').some((x) => (x.includes('-') ? v >= Number(x.split('-')[0]) && v <= Number(x.split('-')[1]) : Number(x) === v));
    return match(min!, date.getUTCMinutes()) && match(hour!, date.getUTCHours()) && match(dom!, date.getUTCDate()) && match(month!, date.getUTCMonth() + 1) && match(dow!, date.getUTCDay());
  }
  it('quarterly: exactly one run in each quarter of 2026 and 2027', () => {
    const cron = drillCron('quarterly');
    const runs: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 3600_000) if (fires(cron, new Date(t))) runs.push(new Date(t).toISOString());
    expect(runs).toEqual(['2026-01-01T09:00:00.000Z', '2026-04-01T09:00:00.000Z', '2026-07-01T09:00:00.000Z', '2026-10-01T09:00:00.000Z', '2027-01-01T09:00:00.000Z', '2027-04-01T09:00:00.000Z', '2027-07-01T09:00:00.000Z', '2027-10-01T09:00:00.000Z']);
    expect(fires('0 9 1 * *', new Date(Date.UTC(2026, 1, 1, 9)))).toBe(true); // the monthly cron would fire in February: the matcher can fail
  });
});
