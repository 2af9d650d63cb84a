import type { Service, Slo, Spec } from '../../spec/types.js';
import { promString } from '../shared/promql.js';
import {
  ALERT_FOR,
  BURN_CONDITIONS,
  PERIOD_DAYS,
  alertName,
  dashboardUrl,
  errorBudget,
  runbookUrl,
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

/** Every alert name the spec produces, in render order; the incident practice seeds one runbook per name. */
export function alertNames(spec: Spec): string[] {
  return spec.services.flatMap((svc) => svc.slos.flatMap((slo) => SEVERITIES.map((sev) => alertName(svc, slo, sev))));
}

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
        dashboard_url: dashboardUrl(spec, svc),
      },
    };
  });
}
