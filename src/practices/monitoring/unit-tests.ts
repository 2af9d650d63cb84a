import type { Service, Slo, Spec } from '../../spec/types.js';
import { leValue, requestBucketMetric, requestCountMetric, thresholdSeconds } from '../../model/promql.js';
import { sliMissingAlert, sloAlerts, type AlertRule } from './alerts.js';
import { ALERT_FOR, BURN_CONDITIONS, PERIOD_DAYS, SLI_MISSING_FOR, SLI_MISSING_WINDOW, alertName, errorBudget, objectiveRatio, sliMissingAlertName, windowMinutes } from './slo.js';

/**
 * promtool unit tests for one service's rules, generated per SLO from the real metric and
 * label names. Four scenarios, each with times chosen so a wrong burn factor, window, `le`
 * or guard in the rules makes a test fail:
 * 1. fast burn (20× budget) after a long healthy baseline: the page fires once the 1h window
 *    has crossed 14.4× (about 43 min), not before, and clears minutes after the burn stops;
 * 2. slow burn (4×): the ticket fires, the page never does;
 * 3. healthy (0.5× budget, plus a failing neighbour service): nothing fires;
 * 4. a trickle of failing traffic below the guard rate does not page (it opens a ticket),
 *    and no traffic at all fires nothing;
 * 5. an idle stretch gives no SLI sample (not a NaN one), and the 30-day SLI after it is a number;
 * 6. the 30-day SLI is a ratio of sums: a busy healthy hour and a quiet hour at a high error
 *    ratio give an SLI under the budget (few requests failed), while the average of the 5m
 *    ratios, which would weigh the quiet hour like the busy one, is far above it.
 * Per service, the missing-data ticket fires when the request metric has no series (never,
 * or no longer) and stays quiet while traffic flows.
 * Timings are computed from BURN_CONDITIONS and the SLI_MISSING_* settings, with a few
 * minutes' margin either side.
 */

/** One stretch of constant traffic, per minute. */
interface Phase {
  minutes: number;
  total: number;
  /** Share of requests that are bad (5xx, or slower than the threshold). */
  badRatio: number;
}

interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}

interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}

interface TestGroup {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertTest[];
  promql_expr_test?: ExprTest[];
}

const fmt = (n: number): string => String(Number(n.toFixed(6)));

/**
 * promtool's expanding notation for a counter growing by `perMinute[i]` for `minutes[i]`
 * samples in each phase, starting at 0: 'a+bxn' is a, a+b, … a+nb.
 */
function counter(phases: { minutes: number; perMinute: number }[]): string {
  const parts: string[] = [];
  let value = 0;
  phases.forEach((p, i) => {
    if (i === 0) {
      parts.push(`0+${fmt(p.perMinute)}x${p.minutes}`);
      value = p.perMinute * p.minutes;
    } else {
      const start = value + p.perMinute;
      parts.push(`${fmt(start)}+${fmt(p.perMinute)}x${p.minutes - 1}`);
      value = start + p.perMinute * (p.minutes - 1);
    }
  });
  return parts.join(' ');
}

function seriesName(metric: string, labels: Record<string, string>): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${metric}{${body}}`;
}

/** Input series for a traffic shape, for the SLO's kind, on the service's own metric names. */
function inputSeries(svc: Service, slo: Slo, phases: Phase[], job = svc.name, selector = svc.metrics.selector ?? {}): TestGroup['input_series'] {
  const { serviceLabel, statusLabel } = svc.metrics;
  const base = { [serviceLabel]: job, ...selector };
  const count = requestCountMetric(svc);
  if (slo.kind === 'availability') {
    return [
      { series: seriesName(count, { ...base, [statusLabel]: '200' }), values: counter(phases.map((p) => ({ minutes: p.minutes, perMinute: p.total * (1 - p.badRatio) }))) },
      { series: seriesName(count, { ...base, [statusLabel]: '500' }), values: counter(phases.map((p) => ({ minutes: p.minutes, perMinute: p.total * p.badRatio }))) },
    ];
  }
  // Latency: every request is a 200; the threshold bucket holds the fast ones. The buckets
  // either side get different counts, so a rule reading the wrong `le` gives a wrong ratio.
  const buckets = svc.metrics.latencyBuckets;
  const t = thresholdSeconds(slo);
  const idx = buckets.indexOf(t);
  const below = idx > 0 ? buckets[idx - 1] : undefined;
  const above = idx >= 0 && idx < buckets.length - 1 ? buckets[idx + 1] : undefined;
  const labels = { ...base, [statusLabel]: '200' };
  const bucket = (le: string, share: (p: Phase) => number) => ({
    series: seriesName(requestBucketMetric(svc), { ...labels, le }),
    values: counter(phases.map((p) => ({ minutes: p.minutes, perMinute: p.total * share(p) }))),
  });
  const fast = (p: Phase) => 1 - p.badRatio;
  return [
    ...(below !== undefined ? [bucket(leValue(below), (p) => fast(p) * 0.9)] : []),
    bucket(leValue(t), fast),
    ...(above !== undefined ? [bucket(leValue(above), () => 1)] : []),
    bucket('+Inf', () => 1),
    { series: seriesName(requestCountMetric(svc), labels), values: counter(phases.map((p) => ({ minutes: p.minutes, perMinute: p.total }))) },
  ];
}

function expected(rule: AlertRule, extraLabels: Record<string, string> = {}): ExpAlert {
  return { exp_labels: { ...extraLabels, ...rule.labels }, exp_annotations: { ...rule.annotations } };
}

const at = (minutes: number) => `${Math.round(minutes)}m`;

/** Busy enough that the low-traffic guard never matters in the burn scenarios. */
function busyRate(spec: Spec): number {
  const guardPerMinute = spec.monitoring.minRequestRate * 60;
  return Math.max(1000, 10 ** Math.ceil(Math.log10(Math.max(guardPerMinute * 10, 1))));
}

function sloTests(spec: Spec, svc: Service, slo: Slo): TestGroup[] {
  const [page, ticket] = sloAlerts(spec, svc, slo) as [AlertRule, AlertRule];
  const budget = errorBudget(slo);
  const busy = busyRate(spec);
  const pageFor = windowMinutes(ALERT_FOR.page);
  const ticketFor = windowMinutes(ALERT_FOR.ticket);
  const [fastCond] = BURN_CONDITIONS.page;
  const slowest = BURN_CONDITIONS.page[BURN_CONDITIONS.page.length - 1]!;
  const groups: TestGroup[] = [];

  // 1. Fast burn after a healthy baseline.
  const fastRatio = Math.min(20 * budget, 1);
  // Minutes after onset when the 1h error ratio crosses 14.4× (the 5m window crossed long before).
  const crossing = (windowMinutes(fastCond!.long) * fastCond!.factor * budget) / fastRatio;
  const burnFor = Math.ceil(crossing) + 10;
  // The baseline must be long enough that the slower page condition (6× over 6h) cannot
  // trigger first: with x bad minutes after a baseline of L, the 6h ratio is at most
  // x/(L+x) × fastRatio, which stays under 6× budget when L > x × (fastRatio/(6×budget) − 1).
  const lastCheck = burnFor + 6;
  const baseline = Math.max(
    windowMinutes(fastCond!.long),
    Math.ceil(lastCheck * (fastRatio / (slowest.factor * budget) - 1) * 1.1) + 5,
  );
  groups.push({
    name: `${svc.name}/${slo.name}: fast burn pages after the ${fastCond!.long} window crosses ${fastCond!.factor}x, and clears when the burn stops`,
    interval: '1m',
    input_series: inputSeries(svc, slo, [
      { minutes: baseline, total: busy, badRatio: 0 },
      { minutes: burnFor, total: busy, badRatio: fastRatio },
      { minutes: 30, total: busy, badRatio: 0 },
    ]),
    alert_rule_test: [
      { eval_time: at(baseline + Math.floor(crossing) - 3), alertname: page.alert, exp_alerts: [] },
      { eval_time: at(baseline + Math.ceil(crossing) + 1), alertname: page.alert, exp_alerts: [] }, // pending (for: 2m)
      { eval_time: at(baseline + Math.ceil(crossing) + pageFor + 4), alertname: page.alert, exp_alerts: [expected(page)] },
      { eval_time: at(baseline + burnFor + 6), alertname: page.alert, exp_alerts: [] },
    ],
  });

  // 2. Slow burn at 4× after an hour of healthy traffic: crosses 1× over the 3d/6h windows
  //    at 20 min (4x / (60 + x) > 1), fires after `for`; 4× never reaches a page factor.
  const slowRatio = 4 * budget;
  const slowOnset = 60;
  groups.push({
    name: `${svc.name}/${slo.name}: slow burn at 4x opens a ticket and never pages`,
    interval: '1m',
    input_series: inputSeries(svc, slo, [
      { minutes: slowOnset, total: busy, badRatio: 0 },
      { minutes: 120, total: busy, badRatio: slowRatio },
    ]),
    alert_rule_test: [
      { eval_time: at(slowOnset + 20 + ticketFor - 7), alertname: ticket.alert, exp_alerts: [] },
      { eval_time: at(slowOnset + 20 + ticketFor + 10), alertname: ticket.alert, exp_alerts: [expected(ticket)] },
      { eval_time: at(slowOnset + 45), alertname: page.alert, exp_alerts: [] },
      { eval_time: at(slowOnset + 120), alertname: page.alert, exp_alerts: [] },
    ],
  });

  // 3. Healthy: half the budget, steady; a neighbour service failing outright must not leak in.
  groups.push({
    name: `${svc.name}/${slo.name}: healthy traffic at half the budget fires nothing`,
    interval: '1m',
    input_series: [
      ...inputSeries(svc, slo, [{ minutes: 240, total: busy, badRatio: budget / 2 }]),
      ...inputSeries(svc, slo, [{ minutes: 240, total: busy, badRatio: 1 }], `${svc.name}-neighbour`),
      // Same service outside the selector (e.g. staging) failing outright.
      ...(Object.keys(svc.metrics.selector ?? {}).length > 0
        ? inputSeries(svc, slo, [{ minutes: 240, total: busy, badRatio: 1 }], svc.name, Object.fromEntries(Object.keys(svc.metrics.selector!).map((k) => [k, 'elsewhere'])))
        : []),
    ],
    alert_rule_test: [10, 120, 240].flatMap((m) => [
      { eval_time: at(m), alertname: page.alert, exp_alerts: [] },
      { eval_time: at(m), alertname: ticket.alert, exp_alerts: [] },
    ]),
  });

  // 4. Low traffic and no traffic.
  const guard = spec.monitoring.minRequestRate;
  if (guard > 0) {
    groups.push({
      name: `${svc.name}/${slo.name}: a trickle below ${guard} req/s burning at 20x does not page (it opens a ticket)`,
      interval: '1m',
      input_series: inputSeries(svc, slo, [{ minutes: 90, total: (guard * 60) / 2, badRatio: fastRatio }]),
      alert_rule_test: [
        { eval_time: at(30), alertname: page.alert, exp_alerts: [] },
        { eval_time: at(90), alertname: page.alert, exp_alerts: [] },
        { eval_time: at(90), alertname: ticket.alert, exp_alerts: [expected(ticket)] },
      ],
    });
  }
  groups.push({
    name: `${svc.name}/${slo.name}: no traffic fires nothing`,
    interval: '1m',
    input_series: inputSeries(svc, slo, [{ minutes: 60, total: 0, badRatio: 0 }]),
    alert_rule_test: [30, 60].flatMap((m) => [
      { eval_time: at(m), alertname: page.alert, exp_alerts: [] },
      { eval_time: at(m), alertname: ticket.alert, exp_alerts: [] },
    ]),
  });

  // 5. Idle, then healthy traffic: the 30-day SLI averages only windows with traffic. A 0/0
  //    (NaN) sample from the idle stretch would make it NaN for the next 30 days.
  const sel = `{service=${JSON.stringify(svc.name)},slo=${JSON.stringify(slo.name)}}`;
  const sample = (record: string, value: number): ExprTest => ({ expr: `${record}${sel}`, eval_time: at(90), exp_samples: [{ labels: `${record}${sel}`, value }] });
  groups.push({
    name: `${svc.name}/${slo.name}: an idle stretch, then traffic: the ${PERIOD_DAYS}-day SLI is a number, not NaN`,
    interval: '1m',
    input_series: inputSeries(svc, slo, [
      { minutes: 30, total: 0, badRatio: 0 },
      { minutes: 60, total: busy, badRatio: 0 },
    ]),
    alert_rule_test: [],
    promql_expr_test: [
      // During the idle stretch the 5m ratio has no sample at all (0/0 would be NaN).
      { expr: `slo:sli_error:ratio_rate5m${sel}`, eval_time: at(20), exp_samples: [] },
      sample(`slo:sli_error:ratio_rate${PERIOD_DAYS}d`, 0),
      sample('slo:period_error_budget_remaining:ratio', 1),
    ],
  });

  // 6. A busy healthy hour, then a quiet hour at 100x the budget's error ratio (at most 100%),
  //    with 1/200 of the traffic: 1/201 of the requests came in the quiet hour, so the ratio of
  //    sums is about half the budget. The mean of the 5m ratios (the old formula) is about half
  //    the quiet hour's ratio: ~50x the budget. `bool` comparisons keep the test exact.
  const quietRatio = Math.min(100 * budget, 1);
  const weigh = (expr: string, value: number): ExprTest => ({ expr, eval_time: at(120), exp_samples: [{ labels: sel, value }] });
  const period = `slo:sli_error:ratio_rate${PERIOD_DAYS}d${sel}`;
  groups.push({
    name: `${svc.name}/${slo.name}: the ${PERIOD_DAYS}-day SLI weighs requests, not windows (a quiet hour at ${fmt(quietRatio * 100)}% errors does not count like a busy one)`,
    interval: '1m',
    input_series: inputSeries(svc, slo, [
      { minutes: 60, total: busy, badRatio: 0 },
      { minutes: 60, total: busy / 200, badRatio: quietRatio },
    ]),
    alert_rule_test: [],
    promql_expr_test: [
      weigh(`${period} < bool ${fmt(budget)}`, 1),
      weigh(`${period} > bool ${fmt(budget / 10)}`, 1),
      weigh(`avg_over_time(slo:sli_error:ratio_rate5m${sel}[${PERIOD_DAYS}d]) > bool ${fmt(10 * budget)}`, 1),
    ],
  });
  return groups;
}

/**
 * The missing-data ticket: fires `for` after the request metric has had no series for the
 * whole window (a service that never reported, or one that stopped), never while traffic flows.
 */
function sliMissingTests(spec: Spec, svc: Service, known?: AlertRule): TestGroup[] {
  const rule = known ?? sliMissingAlert(spec, svc);
  const slo = svc.slos[0]!;
  const window = windowMinutes(SLI_MISSING_WINDOW);
  const forMinutes = windowMinutes(SLI_MISSING_FOR);
  // absent_over_time() labels its sample with the selector's equality matchers.
  const fired = expected(rule, { [svc.metrics.serviceLabel]: svc.name, ...(svc.metrics.selector ?? {}) });
  const busy = busyRate(spec);
  const trafficFor = 30;
  const stopped = (phases: Phase[]) =>
    inputSeries(svc, slo, phases).map((s) => ({ ...s, values: `${s.values} _x${window + forMinutes + 30}` }));
  return [
    {
      name: `${svc.name}: no request series at all (only a neighbour's) opens ${rule.alert} after ${SLI_MISSING_FOR}`,
      interval: '1m',
      input_series: inputSeries(svc, slo, [{ minutes: 120, total: busy, badRatio: 0 }], `${svc.name}-neighbour`),
      alert_rule_test: [
        { eval_time: at(forMinutes - 5), alertname: rule.alert, exp_alerts: [] },
        { eval_time: at(forMinutes + 5), alertname: rule.alert, exp_alerts: [fired] },
      ],
    },
    {
      name: `${svc.name}: ${rule.alert} stays quiet while traffic flows and fires ${SLI_MISSING_WINDOW} + ${SLI_MISSING_FOR} after it stops`,
      interval: '1m',
      input_series: stopped([{ minutes: trafficFor, total: busy, badRatio: 0 }]),
      alert_rule_test: [
        { eval_time: at(trafficFor - 10), alertname: rule.alert, exp_alerts: [] },
        { eval_time: at(trafficFor + window - 5), alertname: rule.alert, exp_alerts: [] },
        { eval_time: at(trafficFor + window + forMinutes + 5), alertname: rule.alert, exp_alerts: [fired] },
      ],
    },
  ];
}

/** Where the CI script (monitoring/promtool.sh) puts the rules it extracts from the PrometheusRules, relative to a test file. */
export const EXTRACTED_RULES_DIR = '../rules';

/** The plain rule file promtool.sh extracts from `monitoring/kubernetes/<file>.yaml`, as a test file names it. */
export function extractedRules(prometheusRuleFile: string): string {
  return `${EXTRACTED_RULES_DIR}/${prometheusRuleFile.replace(/\.yaml$/, '.yml')}`;
}

/** Evaluate the SLI recordings, then the shared group, then the alerts, at every step (no lag between groups). */
function evalOrder(svcs: Service[]): string[] {
  return [...svcs.map((s) => `slo-sli-recordings-${s.name}`), 'slo-shared', ...svcs.map((s) => `slo-alerts-${s.name}`)];
}

/**
 * Two synthetic services the shared test runs every scenario on, shaped like `base` (the first
 * monitored service: same metric names and selector): one with a 99.9% availability SLO, one
 * with a 99% latency SLO on a middle bucket, so both SLO kinds, two budgets (the shared rules
 * read each service's recorded objective) and a latency bucket between two others are exercised.
 */
export function exampleServices(base: Service): Service[] {
  const buckets = base.metrics.latencyBuckets;
  const mid = buckets[Math.min(Math.floor(buckets.length / 2), buckets.length - 1)] ?? 0.25;
  const svc = (name: string, slos: Slo[]): Service => {
    const s: Service = { ...base, name, slos };
    delete s.team;
    return s;
  };
  return [
    svc('example-a', [{ name: 'availability', kind: 'availability', objective: 99.9 }]),
    svc('example-b', [{ name: 'latency', kind: 'latency', objective: 99, thresholdMs: Math.round(mid * 1000) }]),
  ];
}

/**
 * The shared test: every scenario (fast and slow burn, healthy with failing neighbours, a
 * trickle, no traffic, idle windows, the ratio-of-sums period SLI, missing data) on the example
 * services, whose rules (`exampleRules`, generated exactly like a real service's) sit beside it.
 * What it proves holds for every service: only names, metric labels, buckets and objectives
 * differ, and each service's own test checks those.
 */
export function sharedUnitTests(spec: Spec, examples: Service[], sharedRules: string, exampleRules: string): Record<string, unknown> {
  return {
    rule_files: [sharedRules, exampleRules],
    evaluation_interval: '1m',
    group_eval_order: evalOrder(examples),
    // The missing-data ticket is the same rule shape for every service: its scenarios run on the first.
    tests: [...examples.flatMap((svc) => svc.slos.flatMap((slo) => sloTests(spec, svc, slo))), ...sliMissingTests(spec, examples[0]!)],
  };
}

/**
 * A service's own test, for what is its own: its metric and label names, selector and latency
 * bucket reach its alerts (a fast burn pages and opens a ticket, with the exact labels,
 * annotations and links, while a failing neighbour and the same service outside the selector
 * fire nothing), its objective is recorded, and its missing-data ticket fires.
 */
function serviceTests(spec: Spec, svc: Service, slo: Slo, alert: (name: string) => AlertRule | undefined): TestGroup {
  const [page, ticket] = ownAlerts(spec, svc, slo, alert);
  const budget = errorBudget(slo);
  const busy = busyRate(spec);
  const fastRatio = Math.min(20 * budget, 1);
  const [fastCond] = BURN_CONDITIONS.page;
  const crossing = (windowMinutes(fastCond!.long) * fastCond!.factor * budget) / fastRatio;
  const baseline = 60;
  const burnFor = Math.ceil(crossing) + windowMinutes(ALERT_FOR.page) + 10;
  const end = baseline + burnFor;
  const sel = `{service=${JSON.stringify(svc.name)},slo=${JSON.stringify(slo.name)}}`;
  const failing = [{ minutes: end, total: busy, badRatio: 1 }];
  return {
    name: `${svc.name}/${slo.name}: its own series reach its alerts (neighbours and other environments failing outright do not)`,
    interval: '1m',
    input_series: [
      ...inputSeries(svc, slo, [
        { minutes: baseline, total: busy, badRatio: 0 },
        { minutes: burnFor, total: busy, badRatio: fastRatio },
      ]),
      ...inputSeries(svc, slo, failing, `${svc.name}-neighbour`),
      ...(Object.keys(svc.metrics.selector ?? {}).length > 0
        ? inputSeries(svc, slo, failing, svc.name, Object.fromEntries(Object.keys(svc.metrics.selector!).map((k) => [k, 'elsewhere'])))
        : []),
    ],
    alert_rule_test: [
      { eval_time: at(baseline), alertname: page.alert, exp_alerts: [] },
      { eval_time: at(baseline), alertname: ticket.alert, exp_alerts: [] },
      { eval_time: at(end), alertname: page.alert, exp_alerts: [expected(page)] },
      { eval_time: at(end), alertname: ticket.alert, exp_alerts: [expected(ticket)] },
    ],
    promql_expr_test: [{ expr: `slo:objective:ratio${sel}`, eval_time: at(baseline), exp_samples: [{ labels: `slo:objective:ratio${sel}`, value: objectiveRatio(slo) }] }],
  };
}

/** The promtool test file for a service; rule files are relative to the test file's folder. */
export function serviceUnitTests(spec: Spec, svc: Service, sharedRules: string, serviceRules: string, alerts?: readonly AlertRule[]): Record<string, unknown> {
  // The alerts the tests expect are the service's own rules: taken from `alerts` (its
  // serviceAlertRules, when the caller has them) instead of being built a second time.
  const byName = new Map<string, AlertRule>();
  for (const r of alerts ?? []) if (!byName.has(r.alert)) byName.set(r.alert, r);
  const alert = (name: string) => byName.get(name);
  const missing = alert(sliMissingAlertName(svc));
  return {
    rule_files: [sharedRules, serviceRules],
    evaluation_interval: '1m',
    group_eval_order: evalOrder([svc]),
    tests: [...svc.slos.map((slo) => serviceTests(spec, svc, slo, alert)), sliMissingTests(spec, svc, missing?.labels['service'] === svc.name && missing.labels['slo'] === undefined ? missing : undefined)[0]!],
  };
}

/** The page and ticket alerts of an SLO: `alert`'s when it has them, else built (sloAlerts). */
function ownAlerts(spec: Spec, svc: Service, slo: Slo, alert: (name: string) => AlertRule | undefined): [AlertRule, AlertRule] {
  const page = alert(alertName(svc, slo, 'page'));
  const ticket = alert(alertName(svc, slo, 'ticket'));
  // (devops.yaml validation refuses two SLOs whose alert names clash; the labels say whose it is anyway.)
  const own = (r: AlertRule | undefined): r is AlertRule => r !== undefined && r.labels['service'] === svc.name && r.labels['slo'] === slo.name;
  return own(page) && own(ticket) ? [page, ticket] : (sloAlerts(spec, svc, slo) as [AlertRule, AlertRule]);
}
