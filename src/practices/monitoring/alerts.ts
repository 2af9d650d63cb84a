import type { Service, Slo, Spec } from '../../spec/types.js';
import { promString, requestCountMetric, serviceSelector } from '../../model/promql.js';
import {
  ALERT_FOR,
  BURN_CONDITIONS,
  BURN_RECORD,
  PERIOD_DAYS,
  SLI_MISSING_FOR,
  SLI_MISSING_WINDOW,
  alertName,
  dashboardUrl,
  errorBudget,
  runbookUrl,
  sliMissingAlertName,
  sloSentence,
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

/**
 * The labels of one alert rule: `base` (severity, service, slo) and the service's team. The one
 * place every alert's labels are put together: extra per-alert labels belong here.
 */
function alertLabels(svc: Service, base: Record<string, string>): Record<string, string> {
  const labels = { ...base };
  if (svc.team) labels['team'] = svc.team;
  return labels;
}

/** `{service="api",slo="availability"}`: the labels every SLO record carries. */
export function sloSelector(svc: Service, slo: Slo): string {
  return `{service=${promString(svc.name)},slo=${promString(slo.name)}}`;
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
    return {
      alert: name,
      // The burn condition is computed for every SLO at once in the shared group (rules.ts):
      // this alert is the service's name, labels and links for it.
      expr: `${BURN_RECORD[severity]}${sloSelector(svc, slo)}`,
      for: ALERT_FOR[severity],
      labels: alertLabels(svc, { severity, service: svc.name, slo: slo.name }),
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
  return {
    alert: name,
    expr: `absent_over_time(${series}[${SLI_MISSING_WINDOW}])`,
    for: SLI_MISSING_FOR,
    labels: alertLabels(svc, { severity: 'ticket', service: svc.name }),
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
