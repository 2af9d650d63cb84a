import { POD_TEMPLATE_HASH_ATTRIBUTE, POD_TEMPLATE_HASH_POD_LABEL } from '../../model/telemetry.js';
import type { Spec } from '../../spec/types.js';
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './otel.js';
import { backendEndpoints } from './charts.js';
import { componentNames } from './components.js';

export const HEALTH_CHECK_PORT = 13133;

/** Name of the resource processor instance that drops client-sent k8s.* attributes. */
export const UNTRUSTED_K8S_PROCESSOR = 'drop-client-k8s';

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
  // process runs out of memory), then drop what clients claim about Kubernetes,
  // k8sattributes while the request's connection is still known, batch last.
  const untrusted = `${n.resourceProcessor}/${UNTRUSTED_K8S_PROCESSOR}`;
  const processors = [n.memoryLimiterProcessor, untrusted, n.k8sAttributesProcessor, n.resourceProcessor, n.batchProcessor];

  const resourceActions: Record<string, string>[] = [];
  if (spec.observability.clusterName) {
    // Clients' k8s.* attributes are gone by now (untrusted), so this is the collector's value.
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
      // SLO rules and rollout analysis select series by k8s.namespace.name and the pod's
      // rollouts-pod-template-hash, so those must be facts the collector established, not claims.
      // k8sattributes never overwrites an attribute the client already sent (setResourceAttribute
      // in processor.go only fills absent or empty keys), so a pod sending
      // k8s.namespace.name=<production> would keep it: delete every client-sent k8s.* attribute first.
      [untrusted]: { attributes: [{ pattern: '^k8s\\.', action: 'delete' }] },
      [n.k8sAttributesProcessor]: {
        auth_type: 'serviceAccount',
        passthrough: false,
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.node.name'],
          // The ReplicaSet's hash as a resource attribute (tag_name set explicitly: the default
          // name changes with the processor's semantic-convention feature gates).
          labels: [{ tag_name: POD_TEMPLATE_HASH_ATTRIBUTE, key: POD_TEMPLATE_HASH_POD_LABEL, from: 'pod' }],
        },
        // The pod is the one whose IP opened the connection. Associating by a resource attribute
        // (k8s.pod.uid, k8s.pod.ip) would let any pod claim to be another by sending that pod's
        // UID or IP. The cost: telemetry relayed through a proxy, a service-mesh sidecar on the
        // collector, or another collector arrives from an address that is not the pod's and gets
        // no k8s.* attributes, so SLO selectors miss it (the SLIMissing ticket says so).
        pod_association: [{ sources: [{ from: 'connection' }] }],
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
