import type { Handbook } from '../types.js';

export const observabilityHandbook: Handbook = {
  summary: 'Metrics, logs, traces — correlated.',
  what:
    'Every service emits the three signals through OpenTelemetry, and one shared id ties them together: ' +
    'metrics land in Prometheus and are graphed in Grafana, logs go to Loki, traces to Tempo (Jaeger works too). ' +
    'devops-init writes an OpenTelemetry Collector (config, manifests, RBAC), sets the OTEL_* variables on every ' +
    'service, adds zero-code instrumentation for its language, and — with GitOps — Argo CD applications for the ' +
    'Prometheus/Grafana/Loki/Tempo stack at pinned chart versions.',
  why:
    'When something breaks you want to go from "the error rate jumped" to the slow span and the log line that ' +
    'explains it in a few clicks, not by grepping three tools with three different ids. Instrumenting through ' +
    'OpenTelemetry keeps the services vendor-neutral: the collector decides where data goes.',
  pros: ['Faster MTTR: jump from a graph to the trace to its logs', 'Latency attribution: see which hop of a request is slow'],
  cons: ['Storage and cardinality costs: every label and every kept trace is paid for'],
  bestFor: 'Any distributed system.',
  notes: [
    'Best first stack: Prometheus + Grafana + Loki + Tempo, wired together with OpenTelemetry. All open source and production-ready.',
    'Keep metric labels low-cardinality (no user or request ids); put ids in traces and logs instead.',
    'Sample traces when volume grows: observability.samplingRatio sets the share of new traces kept.',
  ],
};
