import type { Service, Slo } from '../spec/types.js';

/**
 * PromQL for a service's request metrics and SLIs, shared by the monitoring rules, the
 * dashboards and (for deploy analysis) anything else that asks "how is this service doing".
 * One home, so every consumer selects the same series the same way.
 */

/** A PromQL string literal (double-quoted; backslashes and quotes escaped). */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/**
 * `{job="api"}`-style selector for a service's own series: the service label, the optional
 * `metrics.selector` matchers (e.g. the production environment), then `extra`.
 */
export function serviceSelector(svc: Service, ...extra: string[]): string {
  const fixed = Object.entries(svc.metrics.selector ?? {}).map(([k, v]) => `${k}=${promString(v)}`);
  return `{${[`${svc.metrics.serviceLabel}=${promString(svc.name)}`, ...fixed, ...extra].join(',')}}`;
}

/**
 * The label Prometheus gives OpenTelemetry's `deployment.environment.name` resource attribute
 * once it is promoted (the observability practice promotes it; dots become underscores).
 */
export const ENVIRONMENT_METRIC_LABEL = 'deployment_environment_name';

/**
 * The service with its selector narrowed: `matchers` are added, replacing matchers on the same
 * labels and dropping those on the labels in `without` (e.g. the SLOs' production matcher, when
 * a rollout analysis selects its own namespace instead); the other matchers stay.
 */
export function withMatchers(svc: Service, matchers: Record<string, string>, without: readonly string[] = []): Service {
  const kept = Object.entries(svc.metrics.selector ?? {}).filter(([k]) => !without.includes(k) && !(k in matchers));
  return { ...svc, metrics: { ...svc.metrics, selector: { ...Object.fromEntries(kept), ...matchers } } };
}

/** The histogram's `_count` series: one per request. */
export function requestCountMetric(svc: Service): string {
  return `${svc.metrics.requestDuration}_count`;
}

export function requestBucketMetric(svc: Service): string {
  return `${svc.metrics.requestDuration}_bucket`;
}

/** Matcher for server errors (HTTP 5xx) on the service's status label. */
export function serverErrorMatcher(svc: Service): string {
  return `${svc.metrics.statusLabel}=~"5.."`;
}

/**
 * The `le` matcher for a bucket boundary given in seconds. Prometheus 2 stores the label as
 * the OTLP exporter formats it ("0.25", "1"); Prometheus 3 normalises classic-histogram `le`
 * to float form ("0.25", "1.0"). Non-integers are the same in both; for whole seconds we
 * match both spellings so the rule survives an upgrade.
 */
export function leMatcher(seconds: number): string {
  if (Number.isInteger(seconds)) return `le=~"${seconds}(\\\\.0)?"`;
  return `le="${leValue(seconds)}"`;
}

/** The `le` label value as Prometheus 2 stores it for an OTLP histogram (shortest decimal form). */
export function leValue(seconds: number): string {
  return String(seconds);
}

/** Requests per second over `window` (e.g. "5m"). */
export function requestRateQuery(svc: Service, window: string): string {
  return `sum(rate(${requestCountMetric(svc)}${serviceSelector(svc)}[${window}]))`;
}

/**
 * The SLI's error ratio over `window`: the share of requests that were bad.
 * - availability: 5xx ÷ all requests, both from the duration histogram's `_count`
 *   (`or vector(0)` so a service with no 5xx series yet reads 0, not "no data");
 * - latency: 1 − (requests in the threshold bucket ÷ all requests).
 * The denominator is filtered to `> 0`, so a window without traffic gives no sample at
 * all rather than NaN (0/0): an idle service never alerts, and averages over time of the
 * ratio (the 30-day SLI) skip idle windows instead of turning NaN for good. Consumers that
 * need "no data" to mean something (deploy analysis: inconclusive) see an empty result.
 */
export function errorRatioQuery(svc: Service, slo: Slo, window: string): string {
  const total = `(${requestRateQuery(svc, window)} > 0)`;
  if (slo.kind === 'availability') {
    const errors = `sum(rate(${requestCountMetric(svc)}${serviceSelector(svc, serverErrorMatcher(svc))}[${window}]))`;
    return `(${errors} or vector(0))\n/\n${total}`;
  }
  const good = `sum(rate(${requestBucketMetric(svc)}${serviceSelector(svc, leMatcher(thresholdSeconds(slo)))}[${window}]))`;
  return `1 - (\n  ${good}\n  /\n  ${total}\n)`;
}

/**
 * Bad events per second over `window`: 5xx responses (availability; `or vector(0)` so a service
 * without any 5xx series reads 0), or requests slower than the threshold (latency: all requests
 * minus those in the threshold bucket). Summed over time together with requestRateQuery, it gives
 * ratios of sums: each request weighs the same, whatever the traffic when it came.
 */
export function errorRateQuery(svc: Service, slo: Slo, window: string): string {
  if (slo.kind === 'availability') {
    return `sum(rate(${requestCountMetric(svc)}${serviceSelector(svc, serverErrorMatcher(svc))}[${window}])) or vector(0)`;
  }
  const good = `sum(rate(${requestBucketMetric(svc)}${serviceSelector(svc, leMatcher(thresholdSeconds(slo)))}[${window}]))`;
  return `${requestRateQuery(svc, window)}\n-\n${good}`;
}

/** A latency SLO's threshold in seconds (the histogram's unit). */
export function thresholdSeconds(slo: Slo): number {
  // Round away float noise: 250 / 1000 is exactly 0.25 here, but keep it safe for any input.
  return Number(((slo.thresholdMs ?? 0) / 1000).toFixed(6));
}

/** Request-duration quantile over `window` (e.g. 0.99 → p99), in seconds. */
export function durationQuantileQuery(svc: Service, quantile: number, window: string): string {
  return `histogram_quantile(${quantile}, sum by (le) (rate(${requestBucketMetric(svc)}${serviceSelector(svc)}[${window}])))`;
}
