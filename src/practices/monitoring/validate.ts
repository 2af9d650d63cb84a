import type { Spec } from '../../spec/types.js';
import { DEFAULT_LATENCY_BUCKETS } from './config.js';
import { alertmanagerSecrets, OPERATOR_SECRETS_DIR } from './alertmanager.js';
import { alertName, BURN_CONDITIONS, sliMissingAlertName } from './slo.js';

/** One problem in devops.yaml: where (key path), what, and how to fix it. */
export interface SloProblem {
  path: (string | number)[];
  message: string;
  fix: string;
}

const MAX_FACTOR = Math.max(...BURN_CONDITIONS.page.map((c) => c.factor));
/** Below this objective even 100% errors cannot reach the fastest page factor. */
const MIN_OBJECTIVE = Number((100 * (1 - 1 / MAX_FACTOR)).toFixed(2));

const ms = (seconds: number) => Number((seconds * 1000).toFixed(3));

const sameBuckets = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * SLO checks a JSON Schema cannot express. A latency SLO is a bucket ratio, so its threshold
 * must be a boundary of the histogram the service really exports (`metrics.latencyBuckets`):
 * Prometheus cannot count "requests under 300 ms" from buckets at 250 and 500 (OpenTelemetry's
 * defaults, which zero-code instrumentation exports and cannot change).
 */
export function sloProblems(spec: Spec): SloProblem[] {
  const problems: SloProblem[] = [];
  const alertOwners = new Map<string, string>();
  spec.services.forEach((svc, i) => {
    const buckets = svc.metrics.latencyBuckets;
    const sorted = buckets.every((b, k) => k === 0 || b > buckets[k - 1]!);
    if (!sorted) {
      problems.push({
        path: ['services', i, 'metrics', 'latencyBuckets'],
        message: `metrics.latencyBuckets of ${svc.name} must be strictly ascending`,
        fix: `list the bucket upper bounds in seconds from smallest to largest, e.g. [${DEFAULT_LATENCY_BUCKETS.join(', ')}]`,
      });
    }
    // Both SLO kinds count requests; a worker or job serves none, so its SLIs would never have
    // data and the SLIMissing ticket would fire forever.
    if (svc.slos.length > 0 && svc.kind !== 'web' && svc.kind !== 'grpc') {
      problems.push({
        path: ['services', i, 'slos'],
        message: `${svc.name} is a ${svc.kind}: availability and latency SLOs count requests, and a ${svc.kind} serves none`,
        fix: 'remove slos for this service (set slos: []), or set kind: web or grpc if it serves requests',
      });
    }
    const names = new Set<string>();
    svc.slos.forEach((slo, j) => {
      const at = ['services', i, 'slos', j];
      if (names.has(slo.name)) {
        problems.push({ path: [...at, 'name'], message: `SLO "${slo.name}" is defined twice for ${svc.name}`, fix: 'give each SLO of a service a unique name' });
      }
      names.add(slo.name);
      if (MAX_FACTOR * (1 - slo.objective / 100) >= 1) {
        problems.push({
          path: [...at, 'objective'],
          message: `objective ${slo.objective} is too low for burn-rate paging: even 100% errors stay under ${MAX_FACTOR}x the ${Number((100 - slo.objective).toFixed(6))}% budget`,
          fix: `use an objective above ${MIN_OBJECTIVE} (e.g. 99 or 99.9)`,
        });
      }
      if (slo.kind === 'availability' && slo.thresholdMs !== undefined) {
        problems.push({ path: [...at, 'thresholdMs'], message: `thresholdMs only applies to latency SLOs ("${slo.name}" is an availability SLO)`, fix: 'remove thresholdMs, or set kind: latency' });
      }
      if (slo.kind === 'latency') {
        if (slo.thresholdMs === undefined) {
          problems.push({ path: at, message: `latency SLO "${slo.name}" of ${svc.name} has no thresholdMs`, fix: `add thresholdMs, one of the histogram buckets: ${buckets.map(ms).join(', ')} ms` });
        } else if (!buckets.some((b) => ms(b) === slo.thresholdMs)) {
          const below = [...buckets].reverse().find((b) => ms(b) < slo.thresholdMs!);
          const above = buckets.find((b) => ms(b) > slo.thresholdMs!);
          const near = [below, above].filter((b): b is number => b !== undefined).map((b) => `${ms(b)}`);
          const seconds = slo.thresholdMs / 1000;
          const otelDefaults = sameBuckets(buckets, DEFAULT_LATENCY_BUCKETS);
          problems.push({
            path: [...at, 'thresholdMs'],
            message:
              `thresholdMs ${slo.thresholdMs} is not a bucket boundary of ${svc.name}'s request-duration histogram ` +
              `(buckets in ms: ${buckets.map(ms).join(', ')}); Prometheus can only count requests under an existing boundary`,
            fix:
              `${slo.thresholdMs} ms is not ${otelDefaults ? 'an OpenTelemetry default bucket boundary' : `a boundary of services[${i}].metrics.latencyBuckets`}: ` +
              `use ${near.join(' or ')}, or declare a ${seconds} bucket with a View in the app and add ${seconds} to metrics.latencyBuckets ` +
              `(services[${i}]; see docs/slos.md)`,
          });
        }
      }
      for (const sev of ['page', 'ticket'] as const) {
        const name = alertName(svc, slo, sev);
        const owner = `${svc.name}/${slo.name}`;
        const prev = alertOwners.get(name);
        if (prev && prev !== owner) {
          problems.push({ path: [...at, 'name'], message: `alert name ${name} is produced by both ${prev} and ${owner}`, fix: 'rename the service or the SLO so the alert names differ' });
        }
        alertOwners.set(name, owner);
      }
    });
    if (svc.slos.length > 0) {
      const name = sliMissingAlertName(svc);
      const prev = alertOwners.get(name);
      if (prev && prev !== svc.name) {
        problems.push({ path: ['services', i, 'name'], message: `alert name ${name} is produced by both ${prev} and ${svc.name}`, fix: 'rename one of the services so the alert names differ' });
      }
      alertOwners.set(name, svc.name);
    }
  });
  problems.push(...secretMountProblems(spec));
  return problems;
}

/**
 * With kube-prometheus-stack deployed by GitOps, the operator mounts the Alertmanager
 * secrets at /etc/alertmanager/secrets/<Secret>/<key>, so the `*File` paths must have that
 * shape (the Secret name comes from the path).
 */
function secretMountProblems(spec: Spec): SloProblem[] {
  if (!(['monitoring', 'observability', 'gitops'] as const).every((p) => spec.practices.includes(p))) return [];
  // The paging tool is incident's choice (onCall.tool); its key file must be mounted like the others.
  const tool = spec.practices.includes('incident') ? spec.incident.onCall.tool : 'pagerduty';
  return alertmanagerSecrets(spec, { owner: 'incident', label: '', levels: [], pagingTool: tool })
    .filter((s) => s.secret === undefined)
    .map((s) => ({
      path: s.specPath,
      message: `${s.specPath.join('.')} (${s.file}) is not where the Prometheus operator mounts Alertmanager secrets`,
      fix: `use ${OPERATOR_SECRETS_DIR}/<Secret name>/<key>, e.g. the default ${OPERATOR_SECRETS_DIR}/${({ routing_key_file: 'alertmanager-pagerduty/routing-key', api_key_file: 'alertmanager-opsgenie/api-key', url_file: 'alertmanager-heartbeat/url' } as Record<string, string>)[s.field] ?? 'alertmanager-slack/api-url'} (lowercase Secret name)`,
    }));
}
