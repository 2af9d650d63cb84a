import { createHash } from 'node:crypto';
import type { Model } from '../../model/types.js';
import type { Service, Slo, Spec } from '../../spec/types.js';

/**
 * SLO arithmetic and naming shared by the rules, tests, dashboards and docs.
 * Burn rate = error ratio ÷ error budget; budget consumed = burn × window ÷ period.
 */

/** The SLO period. 30 days is what the burn-rate table below is tuned for. */
export const PERIOD_DAYS = 30;

/** Windows with a recorded error ratio (the alerts need all of them; 30d feeds the budget). */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

export type Severity = 'page' | 'ticket';

/** One multi-window condition: both windows must burn faster than `factor` × budget. */
export interface BurnCondition {
  long: SliWindow;
  short: SliWindow;
  factor: number;
  /** Share of the 30-day budget spent when the long window alone burns at `factor`. */
  budgetSpent: number;
}

/**
 * The SRE Workbook's multiwindow, multi-burn-rate table for 30 days, plus Sloth's
 * 1d/2h ticket tier (burn 3). The short window is 1/12 of the long one, so the alert
 * resets soon after the burn stops.
 */
export const BURN_CONDITIONS: Record<Severity, BurnCondition[]> = {
  page: [
    { long: '1h', short: '5m', factor: 14.4, budgetSpent: 0.02 },
    { long: '6h', short: '30m', factor: 6, budgetSpent: 0.05 },
  ],
  ticket: [
    { long: '1d', short: '2h', factor: 3, budgetSpent: 0.1 },
    { long: '3d', short: '6h', factor: 1, budgetSpent: 0.1 },
  ],
};

/** The shared records each alert reads: the burn condition of its severity, for every SLO (rules.ts). */
export const BURN_RECORD: Record<Severity, string> = { page: 'slo:page_burn:ratio', ticket: 'slo:ticket_burn:ratio' };

/** `for:` per severity: a page waits two evaluations out of a blip; a ticket is in no hurry. */
export const ALERT_FOR: Record<Severity, string> = { page: '2m', ticket: '15m' };

/** The error budget as a ratio: 99.9 → 0.001 (rounded so 1 − 0.999 prints as 0.001). */
export function errorBudget(slo: Slo): number {
  return Number((1 - slo.objective / 100).toFixed(10));
}

export function objectiveRatio(slo: Slo): number {
  return Number((slo.objective / 100).toFixed(10));
}

/** "checkout-api" → "CheckoutApi". */
export function camel(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

export function alertName(svc: Service, slo: Slo, severity: Severity): string {
  return `${camel(svc.name)}${camel(slo.name)}${severity === 'page' ? 'FastBurn' : 'SlowBurn'}`;
}

/**
 * The per-service "no SLI data" ticket: no request series at all for SLI_MISSING_WINDOW,
 * then SLI_MISSING_FOR more. Burn-rate alerts read ratios, and a ratio of nothing is
 * nothing: a broken exporter, a renamed metric or a wrong selector would otherwise leave
 * every SLO silently green.
 */
export const SLI_MISSING_WINDOW = '1h';
export const SLI_MISSING_FOR = '10m';

export function sliMissingAlertName(svc: Pick<Service, 'name'>): string {
  return `${camel(svc.name)}SLIMissing`;
}

/** Grafana allows 40 characters in a uid: long ones keep a readable prefix plus a short hash. */
function shortUid(uid: string): string {
  if (uid.length <= 40) return uid;
  const hash = createHash('sha256').update(uid).digest('hex').slice(0, 8);
  return `${uid.slice(0, 31)}-${hash}`;
}

/**
 * What the shared dashboard's request panels need to know about a service's series: its metric
 * and label names and its extra matchers. Services with the same shape (all of them, unless
 * devops.yaml overrides services[].metrics) share one dashboard and pick the service from its
 * `service` variable.
 */
function metricsShape(svc: Pick<Service, 'metrics'>): string {
  const m = svc.metrics;
  return JSON.stringify([m.requestDuration, m.statusLabel, m.serviceLabel, Object.entries(m.selector ?? {}).sort()]);
}

/** metricsShape(a) === metricsShape(b), without building either. */
function sameShape(a: Pick<Service, 'metrics'>, b: Pick<Service, 'metrics'>): boolean {
  if (a === b) return true;
  const m = a.metrics;
  const n = b.metrics;
  if (m.requestDuration !== n.requestDuration || m.statusLabel !== n.statusLabel || m.serviceLabel !== n.serviceLabel) return false;
  if (m.selector === n.selector) return true;
  return JSON.stringify(Object.entries(m.selector ?? {}).sort()) === JSON.stringify(Object.entries(n.selector ?? {}).sort());
}

/**
 * The shared dashboard a service appears on, as `{ uid, file }`: `<project>-services` for the
 * services shaped like the first one in devops.yaml, `<project>-services-<hash>` for each other
 * shape (rare: a service with its own metric names or selector). Keyed by devops.yaml's own
 * service, so the production selector monitoring adds to every service does not matter.
 */
export function dashboardOf(spec: Spec, svc: Pick<Service, 'name'>): { uid: string; key: string } {
  const own = spec.services.find((s) => s.name === svc.name) ?? spec.services[0]!;
  // Every alert links its dashboard: compare shapes without serializing them (the common case).
  if (spec.services.length === 0 || sameShape(own, spec.services[0]!)) return { uid: shortUid(`${spec.project.name}-services`), key: '' };
  const key = metricsShape(own);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 6);
  return { uid: shortUid(`${spec.project.name}-services-${hash}`), key: hash };
}

/** The dashboard uid a service's alerts link to (shared by every service of the same shape). */
export function dashboardUid(spec: Spec, svc: Pick<Service, 'name'>): string {
  return dashboardOf(spec, svc).uid;
}

/** The default `monitoring.grafanaUrl` (and any *.example.* host): links that lead nowhere. */
export function isPlaceholderGrafana(url: string): boolean {
  try {
    return /(^|\.)example\.(com|org|net)$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The shared dashboard with the service (and, for an SLO's alerts, that SLO) selected. */
export function dashboardUrl(spec: Spec, svc: Pick<Service, 'name'>, slo?: Pick<Slo, 'name'>): string {
  const vars = `?var-service=${encodeURIComponent(svc.name)}${slo ? `&var-slo=${encodeURIComponent(slo.name)}` : ''}`;
  return `${spec.monitoring.grafanaUrl.replace(/\/+$/, '')}/d/${dashboardUid(spec, svc)}${vars}`;
}

export function runbookUrl(spec: Spec, alert: string): string {
  return `${spec.monitoring.runbookBaseUrl.replace(/\/+$/, '')}/${alert}.md`;
}

/** "99.9%" / "99.95%" for prose. */
export function percent(objective: number): string {
  return `${objective}%`;
}

/** What the SLO promises, in words. */
export function sloSentence(slo: Slo): string {
  if (slo.kind === 'latency') return `${percent(slo.objective)} of requests complete in under ${slo.thresholdMs} ms`;
  return `${percent(slo.objective)} of requests succeed (no 5xx)`;
}

/** Window string → minutes, for test timing. */
export function windowMinutes(w: string): number {
  const m = /^(\d+)([mhd])$/.exec(w);
  if (!m) throw new Error(`bad window ${w}`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n : m[2] === 'h' ? n * 60 : n * 1440;
}

/**
 * Where the SLOs find production's series when devops.yaml does not say (`metrics.selector`):
 * - observability + gitops: `k8s_namespace_name="<project>-production"`. The collector derives
 *   the namespace from the pod that sent the data and drops what clients claim, so only pods
 *   running in the production namespace count: a preview (pull-request code) or staging cannot
 *   write production SLI series, whatever it declares about itself.
 * - observability alone (no known namespaces): `deployment_environment_name="production"`, which
 *   each service declares about itself (OTEL_RESOURCE_ATTRIBUTES): any workload can claim it, so
 *   give metrics.selector a namespace matcher when untrusted workloads share the cluster.
 * - neither: no matcher (every series of the service).
 */
export function productionSelector(model: Pick<Model, 'telemetry' | 'namespaces'>): Record<string, string> | undefined {
  if (!model.telemetry) return undefined;
  if (model.namespaces) return { [model.telemetry.namespaceLabel]: model.namespaces.production };
  return { [model.telemetry.environmentLabel]: 'production' };
}

/** The service as the SLO rules see it: devops.yaml's selector, else production's (productionSelector). */
export function monitoredService(model: Pick<Model, 'telemetry' | 'namespaces'>, svc: Service): Service {
  const selector = productionSelector(model);
  if (svc.metrics.selector !== undefined || selector === undefined) return svc;
  return { ...svc, metrics: { ...svc.metrics, selector } };
}
