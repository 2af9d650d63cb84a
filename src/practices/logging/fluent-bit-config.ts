import type { Spec } from '../../spec/types.js';

/** Fluent Bit release the DaemonSet runs (YAML config, Loki structured metadata). Pinned; bump deliberately. */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:4.1.1';
export const FLUENT_BIT_HTTP_PORT = 2020;
/** Where the tail input keeps its read offsets: a host path, so a restarted pod resumes instead of re-sending. */
export const STATE_DIR = '/var/fluent-bit/state';

/**
 * Field names other instrumentations use for the ids we standardise on. Python's
 * logging instrumentation writes otelTraceID/otelSpanID; several Java and Node
 * loggers write camelCase. `rename` only fires when the target is absent, so a record
 * that already has trace_id keeps it.
 */
export const FIELD_RENAMES: ReadonlyArray<readonly [from: string, to: string]> = [
  ['otelTraceID', 'trace_id'],
  ['otelSpanID', 'span_id'],
  ['traceId', 'trace_id'],
  ['spanId', 'span_id'],
  ['requestId', 'request_id'],
];

/** Loki stream labels: few values each. Everything per-request stays out (see STRUCTURED_METADATA). */
export const LOKI_LABELS: ReadonlyArray<readonly [label: string, accessor: string]> = [
  ['job', 'fluent-bit'],
  ['namespace', "$kubernetes['namespace_name']"],
  ['container', "$kubernetes['container_name']"],
  ['app', "$kubernetes['labels']['app.kubernetes.io/name']"],
];

/** Per-line ids: indexed beside the line as structured metadata, never as labels (each value would open a new stream). */
export const STRUCTURED_METADATA: ReadonlyArray<readonly [key: string, accessor: string]> = [
  ['trace_id', '$trace_id'],
  ['span_id', '$span_id'],
  ['request_id', '$request_id'],
  ['pod', "$kubernetes['pod_name']"],
];

/** Host, port, TLS and push path of the Loki URL in devops.yaml. */
export function lokiTarget(spec: Spec): { host: string; port: number; tls: boolean; uri: string } {
  const url = new URL(spec.logging.lokiUrl);
  const tls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const prefix = url.pathname.replace(/\/+$/, '');
  return { host: url.hostname, port, tls, uri: `${prefix}/loki/api/v1/push` };
}

const pairs = (xs: ReadonlyArray<readonly [string, string]>): string => xs.map(([k, v]) => `${k}=${v}`).join(', ');

/**
 * The Fluent Bit pipeline (YAML format): tail container logs → add Kubernetes
 * metadata and lift JSON fields → normalise id field names → Loki.
 * Booleans are YAML true/false (Fluent Bit reads them like on/off).
 */
export function fluentBitConfig(spec: Spec): Record<string, unknown> {
  const loki = lokiTarget(spec);
  return {
    service: {
      flush: 1,
      log_level: 'info',
      http_server: true,
      http_listen: '0.0.0.0',
      http_port: FLUENT_BIT_HTTP_PORT,
      // /api/v1/health turns unhealthy after repeated output errors or failed retries.
      health_check: true,
      hc_errors_count: 5,
      hc_retry_failure_count: 5,
      hc_period: 60,
    },
    pipeline: {
      inputs: [
        {
          name: 'tail',
          tag: 'kube.*',
          path: '/var/log/containers/*.log',
          // Both runtimes' line formats, joining lines the runtime split.
          'multiline.parser': 'docker, cri',
          db: `${STATE_DIR}/flb_kube.db`,
          mem_buf_limit: '50MB',
          skip_long_lines: true,
          refresh_interval: 10,
        },
      ],
      filters: [
        {
          name: 'kubernetes',
          match: 'kube.*',
          // Lift the app's JSON fields (level, message, trace_id…) to the top of the record.
          merge_log: true,
          keep_log: false,
          // Pods may pick a parser or opt out through the fluentbit.io/* annotations.
          'k8s-logging.parser': true,
          'k8s-logging.exclude': true,
          labels: true,
          annotations: false,
        },
        // One modify filter per rule: repeated keys are not valid YAML, and list values
        // for multi-value properties are not read the same way by every Fluent Bit release.
        ...FIELD_RENAMES.map(([from, to]) => ({ name: 'modify', match: 'kube.*', rename: `${from} ${to}` })),
      ],
      outputs: [
        {
          name: 'loki',
          match: 'kube.*',
          host: loki.host,
          port: loki.port,
          uri: loki.uri,
          tls: loki.tls,
          ...(loki.tls ? { 'tls.verify': true } : {}),
          labels: pairs(LOKI_LABELS),
          structured_metadata: pairs(STRUCTURED_METADATA),
          // Dropped from the line after labels and metadata are taken from them.
          remove_keys: 'kubernetes, stream, _p',
          line_format: 'json',
          retry_limit: 10,
        },
      ],
    },
  };
}
