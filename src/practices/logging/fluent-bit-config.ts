import type { Spec } from '../../spec/types.js';

/** Fluent Bit release the DaemonSet runs (YAML config, Loki structured metadata). Pinned; bump deliberately. */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:4.1.1';
export const FLUENT_BIT_HTTP_PORT = 2020;
/** Where the tail input keeps its read offsets: a host path, so a restarted pod resumes instead of re-sending. */
export const STATE_DIR = '/var/fluent-bit/state';

/**
 * The parsers file the official image ships (/fluent-bit/etc/parsers.conf: apache, nginx, json, syslog,
 * mongodb…; fluent/fluent-bit dockerfiles/Dockerfile copies conf/parsers.conf there).
 * Loaded so the `fluentbit.io/parser` pod annotation (k8s-logging.parser) names parsers that
 * exist: without a parsers file only the built-in multiline parsers are known.
 */
export const IMAGE_PARSERS_FILE = '/fluent-bit/etc/parsers.conf';

/**
 * Tail buffers, per monitored file. Fluent Bit's defaults are 32k for both: a physical log line
 * longer than buffer_max_size is skipped (with skip_long_lines) or stops the file being tailed
 * (without). Runtimes split long lines (containerd and Docker at 16 KiB) and the docker/cri
 * multiline parsers join them again, without a limit from buffer_max_size; but Docker's
 * json-file escapes every line into JSON (a JSON stack trace's quotes and newlines roughly double
 * it), and runtimes can be configured with longer lines. 512k covers both with room; a buffer
 * only grows to it while reading such a line.
 */
export const TAIL_BUFFER_CHUNK_SIZE = '64k';
export const TAIL_BUFFER_MAX_SIZE = '512k';

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
      parsers_file: IMAGE_PARSERS_FILE,
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
          buffer_chunk_size: TAIL_BUFFER_CHUNK_SIZE,
          buffer_max_size: TAIL_BUFFER_MAX_SIZE,
          // A line still longer than buffer_max_size is skipped (Fluent Bit logs a warning): without
          // this the whole file would stop being tailed, losing every later line of that container.
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
          // Pods may pick a parser from IMAGE_PARSERS_FILE (fluentbit.io/parser) or opt out
          // (fluentbit.io/exclude) through annotations.
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
