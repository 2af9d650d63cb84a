import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeModel } from '../../../src/tree/compute.js';
import type { Spec } from '../../../src/spec/types.js';
import { makeSpec } from '../../helpers/spec.js';
import { checkRules, testRules } from '../../validators/promtool.js';
import { haveTool } from '../../validators/tool.js';
import { monorepoSpec, nodeSpec, renderMonitoring, writeRecord } from './render.js';

type Rule = { record?: string; alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string>; for?: string };
type Group = { name: string; rules: Rule[] };

const groupsOf = (text: string): Group[] => (parse(text) as { groups: Group[] }).groups;
const rulesOf = (files: Record<string, string>) =>
  Object.entries(files).filter(([p]) => p.startsWith('monitoring/rules/')).flatMap(([, t]) => groupsOf(t).flatMap((g) => g.rules));

/** Render, write to a temp repo, run promtool test rules on every generated test file. */
function promtoolTests(spec: Spec, mutate?: (rules: string) => string): { code: number; output: string } {
  const files = renderMonitoring(spec);
  const dir = writeRecord(files);
  if (mutate) {
    for (const p of Object.keys(files).filter((f) => f.startsWith('monitoring/rules/'))) {
      const before = readFileSync(join(dir, p), 'utf8');
      const after = mutate(before);
      if (after === before) throw new Error(`mutation changed nothing in ${p}`);
      writeFileSync(join(dir, p), after);
    }
  }
  const tests = Object.keys(files).filter((f) => f.startsWith('monitoring/tests/'));
  return testRules(tests, dir);
}

describe('monitoring rules: structure', () => {
  const files = renderMonitoring(monorepoSpec());
  const rules = rulesOf(files);

  it('records every SLI window, labelled only {service, slo} (no window label)', () => {
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']) {
      const recs = rules.filter((r) => r.record === `slo:sli_error:ratio_rate${w}`);
      expect(recs.length, w).toBe(4); // 2 services × 2 SLOs
      for (const r of recs) expect(Object.keys(r.labels ?? {}).sort()).toEqual(['service', 'slo']);
    }
  });

  it('alerts carry severity/service/slo (+team), summary, description, runbook_url, dashboard_url', () => {
    const alerts = rules.filter((r) => r.alert);
    expect(alerts.map((a) => a.alert)).toEqual(computeModel(monorepoSpec()).alerting!.alerts.map((a) => a.name));
    for (const a of alerts) {
      expect(['page', 'ticket']).toContain(a.labels?.['severity']);
      expect(Object.keys(a.annotations ?? {}).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(a.annotations?.['runbook_url']).toBe(`https://github.com/acme/shop/blob/main/docs/runbooks/${a.alert}.md`);
      expect(a.annotations?.['dashboard_url']).toMatch(/^https:\/\/grafana\.example\.com\/d\/shop-(api|web)$/);
    }
    const api = alerts.filter((a) => a.labels?.['service'] === 'api');
    for (const a of api) expect(a.labels?.['team']).toBe('payments');
    expect(alerts.find((a) => a.alert === 'WebCheckoutLatencyFastBurn')?.labels).toEqual({ severity: 'page', service: 'web', slo: 'checkout-latency' });
  });

  it('uses the multi-window factors: page 14.4 (1h/5m) and 6 (6h/30m), ticket 3 (1d/2h) and 1 (3d/6h)', () => {
    const page = rules.find((r) => r.alert === 'ApiAvailabilityFastBurn')!.expr;
    expect(page).toContain('slo:sli_error:ratio_rate1h{service="api",slo="availability"} > (14.4 * 0.001)');
    expect(page).toContain('slo:sli_error:ratio_rate5m{service="api",slo="availability"} > (14.4 * 0.001)');
    expect(page).toContain('slo:sli_error:ratio_rate6h{service="api",slo="availability"} > (6 * 0.001)');
    expect(page).toContain('slo:sli_error:ratio_rate30m{service="api",slo="availability"} > (6 * 0.001)');
    expect(page).toContain('slo:sli_requests:rate1h{service="api",slo="availability"} > 0.1');
    const ticket = rules.find((r) => r.alert === 'ApiAvailabilitySlowBurn')!.expr;
    expect(ticket).toContain('slo:sli_error:ratio_rate1d{service="api",slo="availability"} > (3 * 0.001)');
    expect(ticket).toContain('slo:sli_error:ratio_rate2h{service="api",slo="availability"} > (3 * 0.001)');
    expect(ticket).toContain('slo:sli_error:ratio_rate3d{service="api",slo="availability"} > (1 * 0.001)');
    expect(ticket).toContain('slo:sli_error:ratio_rate6h{service="api",slo="availability"} > (1 * 0.001)');
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

  it('ships the same groups as a PrometheusRule with the release label', () => {
    const pr = parse(files['monitoring/kubernetes/api-prometheusrule.yaml']!) as { metadata: { labels: Record<string, string>; namespace: string }; spec: { groups: Group[] } };
    expect(pr.spec.groups).toEqual(groupsOf(files['monitoring/rules/api.rules.yml']!));
    expect(pr.metadata.labels['release']).toBe('kube-prometheus-stack');
    expect(pr.metadata.namespace).toBe('monitoring');
  });
});

describe.runIf(haveTool('promtool'))('monitoring rules: promtool', () => {
  it('promtool check rules passes on the plain files and on the PrometheusRule groups', () => {
    const files = renderMonitoring(monorepoSpec());
    const extracted: Record<string, string> = {};
    for (const [p, t] of Object.entries(files)) {
      if (p.endsWith('-prometheusrule.yaml')) {
        extracted[p.replace('.yaml', '.rules.yml')] = JSON.stringify({ groups: (parse(t) as { spec: { groups: Group[] } }).spec.groups });
      }
    }
    const dir = writeRecord({ ...files, ...extracted });
    const plain = Object.keys(files).filter((p) => p.startsWith('monitoring/rules/'));
    const r = checkRules([...plain, ...Object.keys(extracted)], dir);
    expect(r.output).toContain('SUCCESS');
    expect(r.code, r.output).toBe(0);
  });

  it('the generated unit tests pass for a single Node service', () => {
    const r = promtoolTests(nodeSpec());
    expect(r.code, r.output).toBe(0);
  });

  it('the generated unit tests pass for a two-service monorepo (teams, 99.5%, a 1 s latency SLO, production selector)', () => {
    const r = promtoolTests(monorepoSpec(['monitoring', 'observability']));
    expect(r.code, r.output).toBe(0);
  });
});

describe.runIf(haveTool('promtool'))('monitoring rules: mutation tests (a wrong factor, window, le, guard or selector fails the generated tests)', () => {
  const availabilityOnly = makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'availability', kind: 'availability', objective: 99.9 }] }] });
  const latencyOnly = makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 250 }] }] });
  const inAlerts = (from: RegExp, to: string) => (rules: string) => rules.replace(/(- alert:[\s\S]*)/, (alerts) => alerts.replace(from, to));
  const averaged = (rules: string) => {
    const out = rules.replace(
      /sum_over_time\(slo:sli_errors:rate5m(\{[^}]*\})\[30d\]\)\n\s*\/\n\s*\(sum_over_time\(slo:sli_requests:rate5m\{[^}]*\}\[30d\]\) > 0\)/g,
      'sum_over_time(slo:sli_error:ratio_rate5m$1[30d]) / count_over_time(slo:sli_error:ratio_rate5m$1[30d])',
    );
    expect(out).not.toBe(rules);
    return out;
  };

  const mutations: [string, Spec, (rules: string) => string][] = [
    ['page factor 14.4 → 1.44', availabilityOnly, (r) => r.replaceAll('(14.4 * ', '(1.44 * ')],
    ['page factor 14.4 → 144', availabilityOnly, (r) => r.replaceAll('(14.4 * ', '(144 * ')],
    ['page factor 6 → 0.6', availabilityOnly, (r) => r.replaceAll('(6 * ', '(0.6 * ')],
    ['ticket factor 3 → 0.3', availabilityOnly, (r) => r.replaceAll('(3 * ', '(0.3 * ')],
    ['ticket factor 1 → 0.1', availabilityOnly, (r) => r.replaceAll('(1 * ', '(0.1 * ')],
    ['page long window 1h → 2h', availabilityOnly, inAlerts(/ratio_rate1h\{/g, 'ratio_rate2h{')],
    ['page short window 5m → 30m', availabilityOnly, inAlerts(/ratio_rate5m\{/g, 'ratio_rate30m{')],
    ['low-traffic guard dropped', availabilityOnly, (r) => r.replace(/(slo:sli_requests:rate\w+\{[^}]*\}) > 0\.1/g, '$1 > 0')],
    ['service selector dropped', availabilityOnly, (r) => r.replaceAll('{job="api",', '{')],
    ['latency bucket le 0.25 → 0.5', latencyOnly, (r) => r.replaceAll('le="0.25"', 'le="0.5"')],
    ['latency bucket le 0.25 → 0.1', latencyOnly, (r) => r.replaceAll('le="0.25"', 'le="0.1"')],
    ['idle-window guard dropped (0/0 gives NaN)', availabilityOnly, (r) => r.replaceAll(/\) > 0\)/g, '))')],
    ['idle-window guard dropped, latency', latencyOnly, (r) => r.replaceAll(/\) > 0\)/g, '))')],
    // The SLIMissing expression is a double-quoted YAML scalar, so its quotes are escaped.
    ['SLI-missing window 1h → 6h', availabilityOnly, (r) => r.replace(/(absent_over_time\([^\n]*)\[1h\]\)/, '$1[6h])')],
    ['SLI-missing for 10m → 1h', availabilityOnly, (r) => r.replace('for: "10m"', 'for: "1h"')],
    ['SLI-missing selector widened to every job', availabilityOnly, (r) => r.replace(/absent_over_time\((\w+)\{job=\\"api\\"\}/, 'absent_over_time($1{job=~\\".+\\"}')],
    // Issue 9 item 16: the old 30-day SLI, an average of 5m ratios, weighs an idle hour like a busy one.
    ['30-day SLI as the average of the 5m ratios (not a ratio of sums)', availabilityOnly, averaged],
    ['30-day SLI as the average of the 5m ratios, latency', latencyOnly, averaged],
  ];

  it('the unmutated baselines pass', () => {
    expect(promtoolTests(availabilityOnly).code).toBe(0);
    expect(promtoolTests(latencyOnly).code).toBe(0);
  });

  it.each(mutations)('%s makes promtool test rules fail', (_name, spec, mutate) => {
    const r = promtoolTests(spec, mutate);
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
    expect(avail(before).expr).toContain('(14.4 * 0.001)');
    expect(avail(after).expr).toContain('(14.4 * 0.005)');
    expect(avail(after).annotations?.['description']).toContain('99.5%');
    expect(rulesOf(after).find((r) => r.record === 'slo:objective:ratio' && r.labels?.['slo'] === 'availability')!.expr).toBe('vector(0.995)');
    // Latency SLO untouched.
    expect(rulesOf(after).find((r) => r.alert === 'ApiLatencyFastBurn')!.expr).toContain('(14.4 * 0.001)');
    // Tests: new inputs (20× a 0.5% budget = 10% errors) and new expected annotations.
    expect(after['monitoring/tests/api.test.yml']).not.toBe(before['monitoring/tests/api.test.yml']);
    expect(after['monitoring/tests/api.test.yml']).toContain('99.5%');
    // Dashboard: the SLI threshold and the row title follow.
    const dash = (files: Record<string, string>) => (parse(files['monitoring/dashboards/api-dashboard.yaml']!) as { data: Record<string, string> }).data['api.json']!;
    expect(dash(before)).toContain('99.9% of requests succeed');
    expect(dash(after)).toContain('99.5% of requests succeed');
    expect(dash(after)).toContain('0.995');
    expect(after['docs/slos.md']).toContain('| api | availability | 99.5% of requests succeed (no 5xx) | 0.5%');
    const r = promtoolTests(spec995);
    expect(r.code, r.output).toBe(0);
  });
});
