import { METRIC_EXPORT_INTERVAL_MS } from '../../model/telemetry.js';
import type { EnvVar } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';

/** Name of the collector's Service; services send OTLP to it (see observability/collector). */
export const COLLECTOR_SERVICE = 'otel-collector';
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;


/** The OTLP/HTTP base URL of the collector, as seen from any namespace in the cluster. */
export function collectorHttpEndpoint(spec: Spec): string {
  return `http://${COLLECTOR_SERVICE}.${spec.observability.namespace}.svc:${OTLP_HTTP_PORT}`;
}

/**
 * OpenTelemetry SDK settings for a service's container in one environment
 * (`environment` may be a `$(VAR)` reference to an earlier env entry). Every
 * OpenTelemetry SDK and zero-code agent reads these variables, so the same list
 * works for Node, Python, Java and Go.
 *
 * Order matters: Kubernetes expands `$(VAR)` only for variables defined earlier in
 * the list, so the downward-API entries come first.
 */
export function otelEnv(spec: Spec, svc: Service, environment: string, logsByShipper: boolean): EnvVar[] {
  return [
    // The pod UID, as service.instance.id below. Not sent as k8s.pod.uid: the collector drops
    // every k8s.* attribute a client sends and finds the pod from the connection itself, so a
    // pod cannot claim another pod's (or namespace's) identity (see the collector config).
    { name: 'K8S_POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
    // The pinned image digest the GitOps overlays copy into this pod annotation (an
    // annotation: a digest is longer than a label value may be); empty when absent.
    { name: 'SERVICE_VERSION', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['app.kubernetes.io/version']" } } },
    { name: 'OTEL_SERVICE_NAME', value: svc.name },
    // Base URL: the SDK appends /v1/traces, /v1/metrics and /v1/logs itself.
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: collectorHttpEndpoint(spec) },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
    {
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      // service.instance.id: one per pod, so replicas export distinct series (with the same
      // resource, Prometheus would see every replica's cumulative counters as one series and
      // rates would jump between them). Both $(VARs) are defined above.
      value: `service.version=$(SERVICE_VERSION),deployment.environment.name=${environment},service.instance.id=$(K8S_POD_UID)`,
    },
    // Metrics every 15 s instead of the SDKs' 60 s, so the rollout analysis' short windows hold
    // four samples of each series (src/model/telemetry.ts; the analysis derives its windows from
    // the same number). Every SDK and the Java agent read it, in milliseconds.
    { name: 'OTEL_METRIC_EXPORT_INTERVAL', value: String(METRIC_EXPORT_INTERVAL_MS) },
    // Python's HTTP instrumentations export the old http.server.duration (milliseconds)
    // unless opted in to the stable semantic conventions; the SLO rules read the stable
    // http.server.request.duration (seconds). SDKs that already emit it ignore the variable.
    { name: 'OTEL_SEMCONV_STABILITY_OPT_IN', value: 'http' },
    { name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' },
    { name: 'OTEL_TRACES_SAMPLER_ARG', value: String(spec.observability.samplingRatio) },
    { name: 'OTEL_PROPAGATORS', value: 'tracecontext,baggage' },
    // With a log shipper reading stdout (the logging practice), stdout JSON goes to Loki through Fluent Bit; exporting
    // the same records over OTLP as well (the Java agent does by default) would store
    // every line twice.
    ...(logsByShipper ? [{ name: 'OTEL_LOGS_EXPORTER', value: 'none' }] : []),
  ];
}
