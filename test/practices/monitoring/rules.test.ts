import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeModel } from '../../../src/tree/compute.js';
import type { Spec } from '../../../src/spec/types.js';
import { makeSpec } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import { monorepoSpec, nodeSpec, renderMonitoring, writeRecord } from './render.js';

type Rule = { record?: string; alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string>; for?: string };
type Group = { name: string; rules: Rule[] };

const groupsOf = (text: string): Group[] => (parse(text) as { spec: { groups: Group[] } }).spec.groups;
const isRuleFile = (p: string) => p.startsWith('monitoring/kubernetes/') && p.endsWith('prometheusrule.yaml');
const rulesOf = (files: Record<string, string>) =>
  Object.entries(files).filter(([p]) => isRuleFile(p)).flatMap(([, t]) => groupsOf(t).flatMap((g) => g.rules));
const SHARED_RULES = 'monitoring/kubernetes/slos.prometheusrule.yaml';
const FIXTURE = 'monitoring/tests/fixtures/example-services.rules.yml';
const SHARED_TESTS = 'monitoring/tests/slos.shared.test.yml';

interface Run {
  /** Rewrites one generated rule file (a PrometheusRule or the examples' fixture); must change at least one. */
  mutate?: (rules: string) => string;
  /** Which rule files `mutate` applies to. */
  in?: (path: string) => boolean;
  /** The test files to keep (default: all). */
  tests?: string[];
  /** Keep only the test groups whose name matches (the rest of a mutation run would only cost time). */
  only?: RegExp;
}

/** Render, write to a temp repo, run the generated monitoring/promtool.sh (extract, check, test), as CI does. */
function promtoolTests(spec: Spec, run: Run = {}): { code: number; output: string } {
  const files = renderMonitoring(spec);
  const dir = writeRecord(files);
  if (run.mutate) {
    const targets = Object.keys(files).filter((p) => (run.in ?? ((f: string) => isRuleFile(f) || f === FIXTURE))(p));
    let changed = 0;
    for (const p of targets) {
      const before = readFileSync(join(dir, p), 'utf8');
      const after = run.mutate(before);
      if (after !== before) changed++;
      writeFileSync(join(dir, p), after);
    }
    if (changed === 0) throw new Error(`mutation changed nothing in ${targets.join(', ')}`);
  }
  for (const p of Object.keys(files).filter((f) => /^monitoring\/tests\/[^/]+\.yml$/.test(f))) {
    if (run.tests && !run.tests.includes(p)) rmSync(join(dir, p));
    else if (run.only) {
      const doc = parse(files[p]!) as { tests: { name: string }[] };
      doc.tests = doc.tests.filter((t) => run.only!.test(t.name));
      if (doc.tests.length === 0) throw new Error(`no test group of ${p} matches ${run.only}`);
      writeFileSync(join(dir, p), JSON.stringify(doc));
    }
  }
  const r = spawnSync('sh', ['monitoring/promtool.sh'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe('monitoring rules: structure', () => {
  const files = renderMonitoring(monorepoSpec());
  const rules = rulesOf(files);
  const shared = groupsOf(files[SHARED_RULES]!).flatMap((g) => g.rules);

  it('records every SLI window per service, labelled only {service, slo} (no window label); the 30-day SLI once for all', () => {
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
      const recs = rules.filter((r) => r.record === `slo:sli_error:ratio_rate${w}`);
      expect(recs.length, w).toBe(4); // 2 services × 2 SLOs
      for (const r of recs) expect(Object.keys(r.labels ?? {}).sort()).toEqual(['service', 'slo']);
    }
    expect(shared.filter((r) => r.record === 'slo:sli_error:ratio_rate30d')).toHaveLength(1);
  });

  it('per service only what differs: SLIs, the objective, the alerts; everything derived is shared and names no service', () => {
    for (const svc of ['api', 'web']) {
      const own = groupsOf(files[`monitoring/kubernetes/${svc}-prometheusrule.yaml`]!).flatMap((g) => g.rules);
      const records = new Set(own.flatMap((r) => (r.record ? [r.record] : [])));
      expect([...records].sort()).toEqual(
        ['slo:objective:ratio', 'slo:sli_errors:rate5m', 'slo:sli_requests:rate1h', 'slo:sli_requests:rate5m', 'slo:sli_requests:rate6h', ...['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`)].sort(),
      );
    }
    expect(shared.map((r) => r.record)).toEqual([
      'slo:error_budget:ratio', 'slo:time_period:days', 'slo:sli_error:ratio_rate30d', 'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio', 'slo:page_burn:ratio', 'slo:ticket_burn:ratio',
    ]);
    for (const r of shared) {
      expect(r.labels).toBeUndefined();
      expect(r.expr).not.toMatch(/api|web|service=/);
    }
    expect(rules.find((r) => r.record === 'slo:objective:ratio' && r.labels?.['service'] === 'web' && r.labels['slo'] === 'availability')!.expr).toBe('vector(0.995)');
  });

  it('alerts carry severity/service/slo (+team), summary, description, runbook_url, dashboard_url, and read their burn record', () => {
    const alerts = rules.filter((r) => r.alert);
    expect(alerts.map((a) => a.alert)).toEqual(computeModel(monorepoSpec()).alerting!.alerts.map((a) => a.name));
    for (const a of alerts) {
      expect(['page', 'ticket']).toContain(a.labels?.['severity']);
      expect(Object.keys(a.annotations ?? {}).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(a.annotations?.['runbook_url']).toBe(`https://github.com/acme/shop/blob/main/docs/runbooks/${a.alert}.md`);
      expect(a.annotations?.['dashboard_url']).toMatch(/^https:\/\/grafana\.example\.com\/d\/shop-services\?var-service=(api|web)(&var-slo=[a-z-]+)?$/);
    }
    const api = alerts.filter((a) => a.labels?.['service'] === 'api');
    for (const a of api) expect(a.labels?.['team']).toBe('payments');
    expect(alerts.find((a) => a.alert === 'WebCheckoutLatencyFastBurn')?.labels).toEqual({ severity: 'page', service: 'web', slo: 'checkout-latency' });
    expect(alerts.find((a) => a.alert === 'WebCheckoutLatencyFastBurn')?.expr).toBe('slo:page_burn:ratio{service="web",slo="checkout-latency"}');
    expect(alerts.find((a) => a.alert === 'ApiAvailabilitySlowBurn')?.expr).toBe('slo:ticket_burn:ratio{service="api",slo="availability"}');
  });

  it('uses the multi-window factors against each SLO\'s recorded budget: page 14.4 (1h/5m) and 6 (6h/30m), ticket 3 (1d/2h) and 1 (3d/6h)', () => {
    const page = shared.find((r) => r.record === 'slo:page_burn:ratio')!.expr;
    expect(page).toContain('slo:sli_error:ratio_rate1h > on(service, slo) (14.4 * slo:error_budget:ratio)');
    expect(page).toContain('slo:sli_error:ratio_rate5m > on(service, slo) (14.4 * slo:error_budget:ratio)');
    expect(page).toContain('slo:sli_error:ratio_rate6h > on(service, slo) (6 * slo:error_budget:ratio)');
    expect(page).toContain('slo:sli_error:ratio_rate30m > on(service, slo) (6 * slo:error_budget:ratio)');
    expect(page).toContain('slo:sli_requests:rate1h > 0.1');
    const ticket = shared.find((r) => r.record === 'slo:ticket_burn:ratio')!.expr;
    expect(ticket).toContain('slo:sli_error:ratio_rate1d > on(service, slo) (3 * slo:error_budget:ratio)');
    expect(ticket).toContain('slo:sli_error:ratio_rate2h > on(service, slo) (3 * slo:error_budget:ratio)');
    expect(ticket).toContain('slo:sli_error:ratio_rate3d > on(service, slo) (1 * slo:error_budget:ratio)');
    expect(ticket).toContain('slo:sli_error:ratio_rate6h > on(service, slo) (1 * slo:error_budget:ratio)');
    expect(ticket).not.toContain('sli_requests'); // tickets are not guarded
  });

  it('latency SLIs read an existing bucket boundary; whole seconds match both Prometheus 2 and 3 spellings', () => {
    const api = rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels?.['slo'] === 'latency' && r.labels['service'] === 'api')!;
    expect(api.expr).toContain('http_server_request_duration_seconds_bucket{job="api",le="0.25"}[5m]');
    const web = rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels?.['slo'] === 'checkout-latency')!;
    expect(web.expr).toContain('le=~"1(\\\\.0)?"');
  });

  it('never alerts on CPU or memory', () => {
    for (const r of rules) expect(r.expr).not.toMatch(/cpu|memory|container_/i);
  });

  it('counts production traffic only when observability promotes the environment label', () => {
    const withObs = rulesOf(renderMonitoring(nodeSpec(['monitoring', 'observability'])));
    expect(withObs.find((r) => r.record === 'slo:sli_error:ratio_rate5m')!.expr).toContain('deployment_environment_name="production"');
    expect(rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m')!.expr).not.toContain('deployment_environment_name');
  });

  it('writes the rules once: PrometheusRules with the release label, no plain rule files (CI extracts them)', () => {
    expect(Object.keys(files).filter((p) => p.startsWith('monitoring/rules/'))).toEqual([]);
    for (const p of Object.keys(files).filter(isRuleFile)) {
      const pr = parse(files[p]!) as { metadata: { labels: Record<string, string>; namespace: string } };
      expect(pr.metadata.labels['release']).toBe('kube-prometheus-stack');
      expect(pr.metadata.namespace).toBe('monitoring');
    }
    expect(Object.keys(files).filter(isRuleFile).sort()).toEqual(['monitoring/kubernetes/api-prometheusrule.yaml', SHARED_RULES, 'monitoring/kubernetes/web-prometheusrule.yaml']);
  });
});

describe.runIf(haveTool('promtool'))('monitoring rules: promtool (through the generated monitoring/promtool.sh, as CI runs it)', () => {
  it('extracts the PrometheusRules, checks them and passes the generated tests for a two-service monorepo (teams, 99.5%, a 1 s latency SLO, production selector)', () => {
    const r = promtoolTests(monorepoSpec(['monitoring', 'observability']));
    expect(r.output).toMatch(/Checking .*slos\.prometheusrule\.yml\n\s+SUCCESS: 8 rules found/);
    expect(r.output).toMatch(/Unit Testing: .*slos\.shared\.test\.yml\n\s+SUCCESS/);
    expect(r.output).toMatch(/Unit Testing: .*web\.test\.yml\n\s+SUCCESS/);
    expect(r.code, r.output).toBe(0);
  });

  it('fails on a PrometheusRule whose PromQL is broken, or whose spec the script cannot find (broken on purpose)', () => {
    const spec = nodeSpec();
    const broken = promtoolTests(spec, { mutate: (t) => t.replace('slo:sli_requests:rate5m[30d])', 'slo:sli_requests:rate5m[30d]'), in: (p) => p === SHARED_RULES, tests: [] });
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/parse error|unclosed|FAILED/i);
    const moved = promtoolTests(spec, { mutate: (t) => t.replace(/^spec:$/m, 'spec: # moved'), in: (p) => p === SHARED_RULES, tests: [] });
    expect(moved.code).not.toBe(0);
    expect(moved.output).toContain("no 'spec:' line");
  });
});

describe.runIf(haveTool('promtool'))('monitoring rules: mutation tests (a wrong factor, window, le, guard or selector fails the generated tests)', () => {
  const availabilityOnly = makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'availability', kind: 'availability', objective: 99.9 }] }] });
  const latencyOnly = makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 250 }] }] });
  const averaged = (rules: string) =>
    rules.replace(
      /sum_over_time\(slo:sli_errors:rate5m\[30d\]\)\n\s*\/ on\(service, slo\)\n\s*\(sum_over_time\(slo:sli_requests:rate5m\[30d\]\) > 0\)/,
      'sum_over_time(slo:sli_error:ratio_rate5m[30d]) / count_over_time(slo:sli_error:ratio_rate5m[30d])',
    );
  // The shared group's logic is proved by the shared test on the example services (each
  // mutation runs only the scenarios that should catch it); what is a service's own by its test.
  const inShared: Run = { in: (p) => p === SHARED_RULES, tests: [SHARED_TESTS] };
  const inExamples: Run = { in: (p) => p === FIXTURE, tests: [SHARED_TESTS] };
  const inService: Run = { in: (p) => p === 'monitoring/kubernetes/api-prometheusrule.yaml', tests: ['monitoring/tests/api.test.yml'] };
  const a = (scenarios: string) => new RegExp(`^example-a/availability: (${scenarios})`);

  const mutations: [string, Spec, Run, (rules: string) => string][] = [
    ['page factor 14.4 → 1.44', availabilityOnly, { ...inShared, only: a('fast') }, (r) => r.replaceAll('(14.4 * ', '(1.44 * ')],
    ['page factor 14.4 → 144', availabilityOnly, { ...inShared, only: a('fast') }, (r) => r.replaceAll('(14.4 * ', '(144 * ')],
    ['page factor 6 → 0.6', availabilityOnly, { ...inShared, only: a('slow|healthy') }, (r) => r.replaceAll('(6 * ', '(0.6 * ')],
    ['ticket factor 3 → 0.3', availabilityOnly, { ...inShared, only: a('healthy') }, (r) => r.replaceAll('(3 * ', '(0.3 * ')],
    ['ticket factor 1 → 0.1', availabilityOnly, { ...inShared, only: a('healthy') }, (r) => r.replaceAll('(1 * ', '(0.1 * ')],
    ['page long window 1h → 2h', availabilityOnly, { ...inShared, only: a('fast') }, (r) => r.replace(/ratio_rate1h > /, 'ratio_rate2h > ')],
    ['page short window 5m → 30m', availabilityOnly, { ...inShared, only: a('fast') }, (r) => r.replace(/ratio_rate5m > /, 'ratio_rate30m > ')],
    ['low-traffic guard dropped', availabilityOnly, { ...inShared, only: a('a trickle') }, (r) => r.replace(/(slo:sli_requests:rate\w+) > 0\.1/g, '$1 > 0')],
    ['objective ignored (every SLO judged against a fixed 0.1% budget)', availabilityOnly, { ...inShared, only: /^example-b\/latency: (healthy|slow)/ }, (r) => r.replace('1 - slo:objective:ratio', '0 * slo:objective:ratio + 0.001')],
    // Issue 9 item 16: the old 30-day SLI, an average of 5m ratios, weighs an idle hour like a busy one.
    ['30-day SLI as the average of the 5m ratios (not a ratio of sums)', availabilityOnly, { ...inShared, only: /weighs requests/ }, averaged],
    ['idle-window guard dropped (0/0 gives NaN)', availabilityOnly, { ...inExamples, only: a('an idle') }, (r) => r.replaceAll(/\) > 0\)/g, '))')],
    ['idle-window guard dropped, latency', availabilityOnly, { ...inExamples, only: /^example-b\/latency: an idle/ }, (r) => r.replaceAll(/\) > 0\)/g, '))')],
    ['SLI-missing window 1h → 6h', availabilityOnly, { ...inExamples, only: /^example-a: / }, (r) => r.replace(/(absent_over_time\([^\n]*)\[1h\]\)/, '$1[6h])')],
    // What is each service's own, caught by its own small test.
    ['service selector dropped', availabilityOnly, inService, (r) => r.replaceAll('{job="api",', '{')],
    ['latency bucket le 0.25 → 0.5', latencyOnly, inService, (r) => r.replaceAll('le="0.25"', 'le="0.5"')],
    ['latency bucket le 0.25 → 0.1', latencyOnly, inService, (r) => r.replaceAll('le="0.25"', 'le="0.1"')],
    ['objective 0.999 → 0.99', availabilityOnly, inService, (r) => r.replace('vector(0.999)', 'vector(0.99)')],
    ['alert reads another SLO\'s burn record', availabilityOnly, inService, (r) => r.replace(/slo:page_burn:ratio\{service=(\\?)"api/, 'slo:page_burn:ratio{service=$1"other')],
    // The SLIMissing expression is a double-quoted YAML scalar, so its quotes are escaped.
    ['SLI-missing for 10m → 1h', availabilityOnly, inService, (r) => r.replace('for: "10m"', 'for: "1h"')],
    ['SLI-missing selector widened to every job', availabilityOnly, inService, (r) => r.replace(/absent_over_time\((\w+)\{job=\\"api\\"/, 'absent_over_time($1{job=~\\".+\\"')],
  ];

  it('the unmutated baselines pass (a mutation is caught by the tests, not by a broken setup)', () => {
    expect(promtoolTests(availabilityOnly).code).toBe(0);
    expect(promtoolTests(latencyOnly, { tests: ['monitoring/tests/api.test.yml'] }).code).toBe(0);
  });

  it.each(mutations)('%s makes promtool test rules fail', (_name, spec, run, mutate) => {
    const r = promtoolTests(spec, { ...run, mutate });
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/FAILED/);
  });
});

describe.runIf(haveTool('promtool'))('an SLO change flows through rules, tests and dashboards', () => {
  it('99.9 → 99.5 changes the budget everywhere consistently and the tests still pass', () => {
    const before = renderMonitoring(nodeSpec());
    const spec995 = nodeSpec(['monitoring'], {
      services: [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'availability', kind: 'availability', objective: 99.5 }, { name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 250 }] }],
    });
    const after = renderMonitoring(spec995);
    const avail = (files: Record<string, string>) => rulesOf(files).find((r) => r.alert === 'ApiAvailabilityFastBurn')!;
    expect(avail(before).annotations?.['description']).toContain('99.9%');
    expect(avail(after).annotations?.['description']).toContain('99.5%');
    // The shared rules do not change: they read the recorded objective.
    expect(after[SHARED_RULES]).toBe(before[SHARED_RULES]);
    expect(rulesOf(after).find((r) => r.record === 'slo:objective:ratio' && r.labels?.['slo'] === 'availability')!.expr).toBe('vector(0.995)');
    // Latency SLO untouched.
    expect(rulesOf(after).find((r) => r.record === 'slo:objective:ratio' && r.labels?.['slo'] === 'latency')!.expr).toBe('vector(0.999)');
    // Tests: new inputs (20× a 0.5% budget = 10% errors) and new expected annotations.
    expect(after['monitoring/tests/api.test.yml']).not.toBe(before['monitoring/tests/api.test.yml']);
    expect(after['monitoring/tests/api.test.yml']).toContain('99.5%');
    // The shared dashboard and the shared test do not change either: the objective is a recorded series.
    expect(after['monitoring/dashboards/services.dashboard.yaml']).toBe(before['monitoring/dashboards/services.dashboard.yaml']);
    expect(after[SHARED_TESTS]).toBe(before[SHARED_TESTS]);
    expect(after['docs/slos.md']).toContain('| api | availability | 99.5% of requests succeed (no 5xx) | 0.5%');
    const r = promtoolTests(spec995, { tests: ['monitoring/tests/api.test.yml'] });
    expect(r.code, r.output).toBe(0);
  });
});
