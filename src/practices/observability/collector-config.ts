import type { Spec } from '../../spec/types.js';
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './otel.js';
import { backendEndpoints } from './charts.js';
import { componentNames } from './components.js';

export const HEALTH_CHECK_PORT = 13133;

/** Loki's base URL without a trailing slash (the spec may carry one). */
export function lokiBase(spec: Spec): string {
  return spec.logging.lokiUrl.replace(/\/+$/, '');
}

/**
 * The OpenTelemetry Collector configuration: OTLP in, Kubernetes metadata added,
 * metrics to Prometheus, traces to Tempo, logs to Loki — all three over OTLP, with
 * the component names of the pinned collector release.
 */
export function collectorConfig(spec: Spec): Record<string, unknown> {
  const n = componentNames(spec.observability.collectorVersion);
  const ep = backendEndpoints(spec);
  const exporters = {
    metrics: `${n.otlpHttpExporter}/prometheus`,
    traces: `${n.otlpGrpcExporter}/tempo`,
    logs: `${n.otlpHttpExporter}/loki`,
  };

  // Order is the collector README's: memory_limiter first (refuse data before the
  // process runs out of memory), k8sattributes while the request's connection is still
  // known, batch last.
  const processors = [n.memoryLimiterProcessor, n.k8sAttributesProcessor, n.resourceProcessor, n.batchProcessor];

  const resourceActions: Record<string, string>[] = [];
  if (spec.observability.clusterName) {
    // insert, never upsert: a value the SDK set wins.
    resourceActions.push({ key: 'k8s.cluster.name', value: spec.observability.clusterName, action: 'insert' });
  }
  // SDK process detectors record the full command line: it can carry secrets passed
  // as flags, and it makes every process a new resource.
  resourceActions.push({ key: 'process.command_args', action: 'delete' }, { key: 'process.command_line', action: 'delete' });

  return {
    extensions: {
      [n.healthCheckExtension]: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
    },
    receivers: {
      // Since v0.104 the default bind is localhost: listen on all pod addresses.
      [n.otlpReceiver]: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      [n.memoryLimiterProcessor]: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      [n.k8sAttributesProcessor]: {
        auth_type: 'serviceAccount',
        passthrough: false,
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.node.name'],
        },
        // Services send k8s.pod.uid (downward API); the connection's IP is the fallback.
        pod_association: [
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
          { sources: [{ from: 'connection' }] },
        ],
      },
      // deployment.environment.name is NOT set here: one collector serves every
      // environment, so each service sends its own (OTEL_RESOURCE_ATTRIBUTES).
      [n.resourceProcessor]: { attributes: resourceActions },
      [n.batchProcessor]: {},
    },
    exporters: {
      // Prometheus 3 OTLP endpoint (needs --web.enable-otlp-receiver); the exporter
      // appends /v1/metrics.
      [exporters.metrics]: { endpoint: `${ep.prometheus}/api/v1/otlp` },
      [exporters.traces]: { endpoint: ep.tempoGrpc, tls: { insecure: true } },
      // Loki 3 native OTLP endpoint; the exporter appends /v1/logs.
      [exporters.logs]: { endpoint: `${lokiBase(spec)}/otlp` },
    },
    service: {
      extensions: [n.healthCheckExtension],
      pipelines: {
        // Fresh arrays per pipeline: a shared one would be written as a YAML alias.
        traces: { receivers: [n.otlpReceiver], processors: [...processors], exporters: [exporters.traces] },
        metrics: { receivers: [n.otlpReceiver], processors: [...processors], exporters: [exporters.metrics] },
        logs: { receivers: [n.otlpReceiver], processors: [...processors], exporters: [exporters.logs] },
      },
    },
  };
}
