/**
 * Telemetry conventions the observability, monitoring and deploy practices agree on: how often
 * services export metrics, and which labels on a series the collector derives (and a workload
 * therefore cannot forge). One home, so the collector config, the OpenTelemetry env of every
 * pod, the SLO rules and the rollout analysis can never drift apart.
 */

/**
 * How often every service's OpenTelemetry SDK exports metrics (`OTEL_METRIC_EXPORT_INTERVAL`,
 * milliseconds). The SDKs' default is 60 000 ms: with it a 2-minute rate window holds about two
 * samples per series, and a series that just appeared (a new canary pod) has none. 15 s gives a
 * 1-minute window four samples, at four times the export requests and stored samples of the
 * default. Every analysis window is derived from this number (see `analysisWindowSeconds`).
 */
export const METRIC_EXPORT_INTERVAL_MS = 15_000;

/**
 * The OpenTelemetry SDKs' own default export interval (specification: `OTEL_METRIC_EXPORT_INTERVAL`
 * defaults to 60000), used when nothing here sets the variable (no observability practice).
 */
export const SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;

/** A rate window must hold at least this many export intervals (issue 9: ≥ 4 samples per series). */
export const MIN_SAMPLES_PER_WINDOW = 4;

/** The shortest PromQL rate window that holds MIN_SAMPLES_PER_WINDOW exports, in whole seconds. */
export function analysisWindowSeconds(exportIntervalMs: number): number {
  return Math.ceil((MIN_SAMPLES_PER_WINDOW * exportIntervalMs) / 1000);
}

/** Seconds as a Prometheus / Argo Rollouts duration: 60 → "1m", 90 → "90s", 3600 → "1h". */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The resource attribute the collector's k8sattributes processor sets to the pod's namespace
 * (looked up from the connection's source IP, never taken from what the pod sent; see the
 * collector config), and the label Prometheus gives it once promoted (dots become underscores).
 */
export const NAMESPACE_ATTRIBUTE = 'k8s.namespace.name';
export const NAMESPACE_METRIC_LABEL = 'k8s_namespace_name';

/**
 * The pod label Argo Rollouts puts on every pod of a ReplicaSet, the resource attribute the
 * collector copies it into (semantic-conventions form `k8s.pod.label.<key>`, set explicitly as
 * `tag_name` so it does not depend on the processor's naming feature gates), and the Prometheus
 * label it becomes. Rollout analysis compares the new ReplicaSet's series with the stable one's
 * by this label (`podTemplateHashValue: Latest | Stable`).
 */
export const POD_TEMPLATE_HASH_POD_LABEL = 'rollouts-pod-template-hash';
export const POD_TEMPLATE_HASH_ATTRIBUTE = `k8s.pod.label.${POD_TEMPLATE_HASH_POD_LABEL}`;
export const POD_TEMPLATE_HASH_METRIC_LABEL = 'k8s_pod_label_rollouts_pod_template_hash';
