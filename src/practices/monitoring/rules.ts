import type { Service, Slo, Spec } from '../../spec/types.js';
import { errorRateQuery, errorRatioQuery, requestRateQuery } from '../../model/promql.js';
import { sliMissingAlert, sloAlerts, sloSelector, type AlertRule } from './alerts.js';
import { BURN_CONDITIONS, PERIOD_DAYS, SLI_WINDOWS, errorBudget, objectiveRatio } from './slo.js';

/**
 * Sloth-style rule groups for one service, rendered from its SLOs:
 * - SLI recordings: `slo:sli_error:ratio_rate<window>` per SLO, labelled {service, slo} only
 *   (a `window` label would break the `and` between windows in the alerts);
 * - metadata recordings for dashboards: objective, budget, period, burn rates, budget left;
 * - the page and ticket alerts, plus one ticket per service when its request metric is missing.
 */

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
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
  return [...ratios, ...events, ...rates];
}

function metaRecordings(svc: Service, slo: Slo): RecordingRule[] {
  const sel = sloSelector(svc, slo);
  const period = `${PERIOD_DAYS}d`;
  const r = (record: string, expr: string) => rec(svc, slo, record, expr);
  return [
    r('slo:objective:ratio', `vector(${objectiveRatio(slo)})`),
    r('slo:error_budget:ratio', `vector(${errorBudget(slo)})`),
    r('slo:time_period:days', `vector(${PERIOD_DAYS})`),
    // The 30-day SLI is a ratio of sums, bad events over all events in the period (Pyrra's
    // increase(errors[30d]) / increase(total[30d])), computed from the recorded 5m event rates:
    // every request weighs the same. Averaging the 5m ratios instead would give an idle hour at
    // 10% errors the weight of a peak hour (monitoring/tests shows the difference). Summing the
    // records over 30 days reads one series per SLO instead of every raw series.
    r(
      `slo:sli_error:ratio_rate${period}`,
      `sum_over_time(slo:sli_errors:rate${PERIOD_RATE_WINDOW}${sel}[${period}])\n/\n(sum_over_time(slo:sli_requests:rate${PERIOD_RATE_WINDOW}${sel}[${period}]) > 0)`,
    ),
    r('slo:current_burn_rate:ratio', `slo:sli_error:ratio_rate5m${sel}\n/ on(service, slo)\nslo:error_budget:ratio${sel}`),
    r('slo:period_burn_rate:ratio', `slo:sli_error:ratio_rate${period}${sel}\n/ on(service, slo)\nslo:error_budget:ratio${sel}`),
    r('slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio${sel}`),
  ];
}

/** The three rule groups for a service (empty when it has no SLOs). */
export function serviceRuleGroups(spec: Spec, svc: Service): RuleGroup[] {
  if (svc.slos.length === 0) return [];
  return [
    { name: `slo-sli-recordings-${svc.name}`, rules: svc.slos.flatMap((slo) => sliRecordings(spec, svc, slo)) },
    { name: `slo-meta-recordings-${svc.name}`, rules: svc.slos.flatMap((slo) => metaRecordings(svc, slo)) },
    { name: `slo-alerts-${svc.name}`, rules: [...svc.slos.flatMap((slo) => sloAlerts(spec, svc, slo)), sliMissingAlert(spec, svc)] },
  ];
}

/** The PrometheusRule carrying the same groups, picked up by kube-prometheus-stack's ruleSelector. */
export function prometheusRule(spec: Spec, svc: Service, amend: (groups: RuleGroup[]) => RuleGroup[] = (g) => g): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `${svc.name}-slos`,
      namespace: spec.monitoring.namespace,
      labels: {
        release: spec.monitoring.prometheusRelease,
        'app.kubernetes.io/name': svc.name,
        'app.kubernetes.io/part-of': spec.project.name,
        'app.kubernetes.io/managed-by': 'devops-init',
      },
    },
    spec: { groups: amend(serviceRuleGroups(spec, svc)) },
  };
}
