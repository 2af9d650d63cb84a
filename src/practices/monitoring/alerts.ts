import type { Service, Slo, Spec } from '../../spec/types.js';
import { promString, requestCountMetric, serviceSelector } from '../../model/promql.js';
import {
  ALERT_FOR,
  BURN_CONDITIONS,
  PERIOD_DAYS,
  SLI_MISSING_FOR,
  SLI_MISSING_WINDOW,
  alertName,
  dashboardUrl,
  errorBudget,
  runbookUrl,
  sliMissingAlertName,
  sloSentence,
  type BurnCondition,
  type Severity,
} from './slo.js';

/** A Prometheus alerting rule as it appears in a rule group. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const SEVERITIES: Severity[] = ['page', 'ticket'];

/** `{service="api",slo="availability"}`: the labels every SLO record carries. */
export function sloSelector(svc: Service, slo: Slo): string {
  return `{service=${promString(svc.name)},slo=${promString(slo.name)}}`;
}

/** One window pair: both the long and the short window burn faster than factor × budget. */
function conditionExpr(svc: Service, slo: Slo, c: BurnCondition, guardRate: number | undefined): string {
  const sel = sloSelector(svc, slo);
  const threshold = `(${c.factor} * ${errorBudget(slo)})`;
  const burn = [
    `slo:sli_error:ratio_rate${c.long}${sel} > ${threshold}`,
    'and',
    `slo:sli_error:ratio_rate${c.short}${sel} > ${threshold}`,
  ];
  if (guardRate === undefined) return ['(', ...burn.map((l) => `  ${l}`), ')'].join('\n');
  // Low-traffic guard: a few failures among a trickle of requests give huge ratios, so a
  // page also needs real traffic over the long window.
  return [
    '(',
    ...burn.map((l) => `  ${l}`),
    '  and',
    `  slo:sli_requests:rate${c.long}${sel} > ${guardRate}`,
    ')',
  ].join('\n');
}

function describe(svc: Service, slo: Slo, severity: Severity): { summary: string; description: string } {
  const conds = BURN_CONDITIONS[severity]
    .map((c) => `${c.factor}x over ${c.long} and ${c.short} (${Math.round(c.budgetSpent * 100)}% of the budget in ${c.long})`)
    .join(', or ');
  const days = (f: number) => Math.round((PERIOD_DAYS / f) * 10) / 10;
  const fastest = BURN_CONDITIONS[severity][0]!;
  const summary =
    severity === 'page'
      ? `${svc.name} is burning its ${slo.name} error budget fast`
      : `${svc.name} is slowly burning its ${slo.name} error budget`;
  const description =
    `SLO: ${sloSentence(slo)} over ${PERIOD_DAYS} days (error budget ${Number((errorBudget(slo) * 100).toFixed(6))}%). ` +
    `The error ratio is above the burn threshold: ${conds}. ` +
    `At ${fastest.factor}x the whole ${PERIOD_DAYS}-day budget is gone in about ${days(fastest.factor)} days.` +
    (severity === 'page' ? ' Users are affected now: act immediately.' : ' Fix it during working hours.');
  return { summary, description };
}

/** The page and ticket alerts for one SLO. */
export function sloAlerts(spec: Spec, svc: Service, slo: Slo): AlertRule[] {
  return SEVERITIES.map((severity) => {
    const name = alertName(svc, slo, severity);
    // Only pages are guarded: a low-traffic service with real errors still gets a ticket.
    const guard = severity === 'page' && spec.monitoring.minRequestRate > 0 ? spec.monitoring.minRequestRate : undefined;
    const expr = BURN_CONDITIONS[severity].map((c) => conditionExpr(svc, slo, c, guard)).join('\nor\n');
    const labels: Record<string, string> = { severity, service: svc.name, slo: slo.name };
    if (svc.team) labels['team'] = svc.team;
    return {
      alert: name,
      expr,
      for: ALERT_FOR[severity],
      labels,
      annotations: {
        ...describe(svc, slo, severity),
        runbook_url: runbookUrl(spec, name),
        dashboard_url: dashboardUrl(spec, svc, slo),
      },
    };
  });
}

/**
 * One ticket per service when its request metric has no series at all for
 * SLI_MISSING_WINDOW: every SLO of the service is blind (exporter down, metric renamed,
 * selector wrong, service never deployed), and blind SLOs never burn.
 * `svc` is the service as the SLO rules see it (monitoredService).
 */
export function sliMissingAlert(spec: Spec, svc: Service): AlertRule {
  const name = sliMissingAlertName(svc);
  const series = `${requestCountMetric(svc)}${serviceSelector(svc)}`;
  const labels: Record<string, string> = { severity: 'ticket', service: svc.name };
  if (svc.team) labels['team'] = svc.team;
  return {
    alert: name,
    expr: `absent_over_time(${series}[${SLI_MISSING_WINDOW}])`,
    for: SLI_MISSING_FOR,
    labels,
    annotations: {
      summary: `${svc.name} has sent no request metrics for ${SLI_MISSING_WINDOW}: its SLOs cannot be measured`,
      description:
        `No ${series} series for ${SLI_MISSING_WINDOW}, so the SLO alerts of ${svc.name} (${svc.slos.map((s) => s.name).join(', ')}) ` +
        'cannot fire. Check that the service runs and receives traffic, that its OpenTelemetry metrics reach Prometheus ' +
        '(collector, OTLP receiver) and that the metric name and labels in devops.yaml (services[].metrics) match what it exports.',
      runbook_url: runbookUrl(spec, name),
      dashboard_url: dashboardUrl(spec, svc),
    },
  };
}
