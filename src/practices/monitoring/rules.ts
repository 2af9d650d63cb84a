import type { Service, Slo, Spec } from '../../spec/types.js';
import { errorRateQuery, errorRatioQuery, requestRateQuery } from '../../model/promql.js';
import { sliMissingAlert, sloAlerts, type AlertRule } from './alerts.js';
import { BURN_CONDITIONS, PERIOD_DAYS, SLI_WINDOWS, BURN_RECORD, objectiveRatio, type BurnCondition, type Severity } from './slo.js';

/**
 * Sloth-style SLO rules, split so they grow by reference (issue 13):
 * - per service (`serviceRuleGroups`), only what differs between services: the SLI recordings
 *   (`slo:sli_error:ratio_rate<window>`, the 5m event rates, the guard's request rates), which
 *   read the service's own metric, labels, selector and latency bucket; the objective as a
 *   recorded constant (`slo:objective:ratio`); and the alerts, one page and one ticket per SLO
 *   plus the missing-data ticket, each with its own name, runbook_url, severity and team;
 * - shared by every service (`sharedRuleGroups`), everything else, computed for all services at
 *   once from those records: error budget, period, the 30-day ratio-of-sums SLI, burn rates,
 *   budget left, and the multi-window multi-burn-rate conditions (`slo:page_burn:ratio`,
 *   `slo:ticket_burn:ratio`) each alert reads. Records are labelled {service, slo} only (a
 *   `window` label would break the `and` between windows).
 */

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertRule)[];
}

function labelsOf(svc: Service, slo: Slo): Record<string, string> {
  return { service: svc.name, slo: slo.name };
}

/** Long windows of the page conditions: the low-traffic guard reads the request rate over them. */
function guardWindows(): string[] {
  return [...new Set(BURN_CONDITIONS.page.map((c) => c.long))];
}

/** A recording rule with its own copy of the labels (shared objects would print as YAML aliases). */
function rec(svc: Service, slo: Slo, record: string, expr: string): RecordingRule {
  return { record, expr, labels: labelsOf(svc, slo) };
}

/** The window of the event-rate records the period SLI sums over time. */
export const PERIOD_RATE_WINDOW = '5m';

function sliRecordings(spec: Spec, svc: Service, slo: Slo): RecordingRule[] {
  const ratios = SLI_WINDOWS.map((w) => rec(svc, slo, `slo:sli_error:ratio_rate${w}`, errorRatioQuery(svc, slo, w)));
  // Bad and total events per second over 5m, which the period SLI sums over 30 days.
  const events = [
    rec(svc, slo, `slo:sli_errors:rate${PERIOD_RATE_WINDOW}`, errorRateQuery(svc, slo, PERIOD_RATE_WINDOW)),
    rec(svc, slo, `slo:sli_requests:rate${PERIOD_RATE_WINDOW}`, requestRateQuery(svc, PERIOD_RATE_WINDOW)),
  ];
  const rates =
    spec.monitoring.minRequestRate > 0
      ? guardWindows().map((w) => rec(svc, slo, `slo:sli_requests:rate${w}`, requestRateQuery(svc, w)))
      : [];
  // The one number that differs per SLO: everything the shared groups derive starts here.
  return [...ratios, ...events, ...rates, rec(svc, slo, 'slo:objective:ratio', `vector(${objectiveRatio(slo)})`)];
}

/** A service's alerts (its second rule group): a page and a ticket per SLO, the missing-data ticket. */
export function serviceAlertRules(spec: Spec, svc: Service): AlertRule[] {
  return [...svc.slos.flatMap((slo) => sloAlerts(spec, svc, slo)), sliMissingAlert(spec, svc)];
}

/**
 * The two rule groups for a service (empty when it has no SLOs): its SLIs and objectives, its
 * alerts. `alerts`: serviceAlertRules(spec, svc), when the caller has them already.
 */
export function serviceRuleGroups(spec: Spec, svc: Service, alerts?: AlertRule[]): RuleGroup[] {
  if (svc.slos.length === 0) return [];
  return [
    { name: `slo-sli-recordings-${svc.name}`, rules: svc.slos.flatMap((slo) => sliRecordings(spec, svc, slo)) },
    { name: `slo-alerts-${svc.name}`, rules: alerts ?? serviceAlertRules(spec, svc) },
  ];
}

/** One window pair over every SLO at once: both the long and the short window burn faster than factor × budget. */
function conditionExpr(c: BurnCondition, guardRate: number | undefined): string {
  const threshold = `on(service, slo) (${c.factor} * slo:error_budget:ratio)`;
  const burn = [`slo:sli_error:ratio_rate${c.long} > ${threshold}`, 'and', `slo:sli_error:ratio_rate${c.short} > ${threshold}`];
  // Low-traffic guard: a few failures among a trickle of requests give huge ratios, so a
  // page also needs real traffic over the long window.
  const guard = guardRate === undefined ? [] : ['and', `slo:sli_requests:rate${c.long} > ${guardRate}`];
  return ['(', ...[...burn, ...guard].map((l) => `  ${l}`), ')'].join('\n');
}

/** The burn condition of a severity, for every SLO of every service (value: the long window's error ratio). */
export function burnConditionExpr(spec: Spec, severity: Severity): string {
  // Only pages are guarded: a low-traffic service with real errors still gets a ticket.
  const guard = severity === 'page' && spec.monitoring.minRequestRate > 0 ? spec.monitoring.minRequestRate : undefined;
  return BURN_CONDITIONS[severity].map((c) => conditionExpr(c, guard)).join('\nor\n');
}

/** The group every service shares: derived SLO records and the burn conditions, for all services at once. */
export function sharedRuleGroups(spec: Spec): RuleGroup[] {
  const period = `${PERIOD_DAYS}d`;
  const r = (record: string, expr: string): RecordingRule => ({ record, expr });
  return [
    {
      name: 'slo-shared',
      rules: [
        r('slo:error_budget:ratio', '1 - slo:objective:ratio'),
        r('slo:time_period:days', `0 * slo:objective:ratio + ${PERIOD_DAYS}`),
        // The 30-day SLI is a ratio of sums, bad events over all events in the period (Pyrra's
        // increase(errors[30d]) / increase(total[30d])), computed from the recorded 5m event rates:
        // every request weighs the same. Averaging the 5m ratios instead would give an idle hour at
        // 10% errors the weight of a peak hour (monitoring/tests shows the difference). Summing the
        // records over 30 days reads one series per SLO instead of every raw series.
        r(
          `slo:sli_error:ratio_rate${period}`,
          `sum_over_time(slo:sli_errors:rate${PERIOD_RATE_WINDOW}[${period}])\n/ on(service, slo)\n(sum_over_time(slo:sli_requests:rate${PERIOD_RATE_WINDOW}[${period}]) > 0)`,
        ),
        r('slo:current_burn_rate:ratio', 'slo:sli_error:ratio_rate5m\n/ on(service, slo)\nslo:error_budget:ratio'),
        r('slo:period_burn_rate:ratio', `slo:sli_error:ratio_rate${period}\n/ on(service, slo)\nslo:error_budget:ratio`),
        r('slo:period_error_budget_remaining:ratio', '1 - slo:period_burn_rate:ratio'),
        r(BURN_RECORD.page, burnConditionExpr(spec, 'page')),
        r(BURN_RECORD.ticket, burnConditionExpr(spec, 'ticket')),
      ],
    },
  ];
}

const ruleMetadata = (spec: Spec, name: string, labels: Record<string, string>) => ({
  name,
  namespace: spec.monitoring.namespace,
  labels: {
    // kube-prometheus-stack's ruleSelector (the chart's default matches its release label).
    release: spec.monitoring.prometheusRelease,
    ...labels,
    'app.kubernetes.io/part-of': spec.project.name,
    'app.kubernetes.io/managed-by': 'devops-init',
  },
});

/**
 * The service's rules as a PrometheusRule, picked up by kube-prometheus-stack's ruleSelector.
 * The only copy of the rules: CI (monitoring/promtool.sh) extracts `.spec` for promtool.
 * `alerts`: serviceAlertRules(spec, svc), when the caller computed them already.
 */
export function prometheusRule(spec: Spec, svc: Service, amend: (groups: RuleGroup[]) => RuleGroup[] = (g) => g, alerts?: AlertRule[]): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: ruleMetadata(spec, `${svc.name}-slos`, { 'app.kubernetes.io/name': svc.name }),
    spec: { groups: amend(serviceRuleGroups(spec, svc, alerts)) },
  };
}

/** The shared groups as a PrometheusRule (one per repository). */
export function sharedPrometheusRule(spec: Spec): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: ruleMetadata(spec, `${spec.project.name}-slos-shared`, {}),
    spec: { groups: sharedRuleGroups(spec) },
  };
}
