import type { ObjectSchemaFor, PracticeConfig, ProjectIdentity } from '../../spec/config.js';
import { NAME, URL, str } from '../../spec/patterns.js';
import type { SchemaNode } from '../../spec/validate-schema.js';
import { sloProblems } from './validate.js';

/** One service level objective. `objective` is a percentage, e.g. 99.9. */
export interface Slo {
  name: string;
  kind: 'availability' | 'latency';
  objective: number;
  /** Latency SLOs only: requests faster than this count as good. Must be a histogram bucket boundary. */
  thresholdMs?: number;
  description?: string;
}

/** Where a service's request metrics come from (OpenTelemetry HTTP server metrics by default). */
export interface ServiceMetrics {
  /** Histogram base name without `_bucket`/`_count`, e.g. `http_server_request_duration_seconds`. */
  requestDuration: string;
  /** Label carrying the HTTP status code. */
  statusLabel: string;
  /** Label selecting this service's series. */
  serviceLabel: string;
  /**
   * Upper bounds (seconds, ascending) of the request-duration histogram the service exports.
   * A latency SLO's threshold must be one of them: Prometheus cannot interpolate between buckets
   * exactly. The default is exactly OpenTelemetry's default list (no 0.3: zero-code cannot add a View).
   */
  latencyBuckets: number[];
  /**
   * Extra label matchers (label → exact value) for this service's series, e.g.
   * `{deployment_environment_name: production}` so staging traffic never counts against
   * the SLO. Unset: the monitoring practice picks production when observability promotes
   * the environment attribute to a label, else none.
   */
  selector?: Record<string, string>;
}

export interface MonitoringConfig {
  /** Namespace where Prometheus, Alertmanager and Grafana run. */
  namespace: string;
  grafanaUrl: string;
  runbookBaseUrl: string;
  pagerduty: { routingKeyFile: string };
  /** Used when incident.onCall.tool is opsgenie: pages go to Opsgenie instead of PagerDuty. */
  opsgenie: { apiKeyFile: string };
  slack: { apiUrlFile: string; defaultChannel: string };
  /**
   * Dead man's switch: Alertmanager posts kube-prometheus-stack's always-firing Watchdog alert to
   * the URL in this file (a heartbeat check at Healthchecks.io, Better Stack, Cronitor, Dead Man's
   * Snitch…), which alerts you when the posts stop: Prometheus, Alertmanager or the path between
   * them is down, and no other alert could reach you.
   */
  heartbeat: { urlFile: string };
  /**
   * Low-traffic guard: a burn-rate page needs at least this many requests per second averaged
   * over the alert's long window (1h or 6h); below it a handful of failures cannot page.
   */
  minRequestRate: number;
  /** Helm release of kube-prometheus-stack; its ruleSelector picks PrometheusRules labelled `release: <this>`. */
  prometheusRelease: string;
}

/**
 * The handbook's default SLOs: 99.9% available and 99.9% of requests fast, over 30 days.
 * The handbook's example says 300 ms, but a latency SLO is a bucket ratio and zero-code
 * OpenTelemetry exports no 0.3 s bucket (it cannot declare a View), so the default is
 * 250 ms: the nearest real boundary below 300.
 */
export function defaultSlos(): Slo[] {
  return [
    { name: 'availability', kind: 'availability', objective: 99.9 },
    { name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: DEFAULT_LATENCY_THRESHOLD_MS },
  ];
}

/** The default latency threshold: an OpenTelemetry default bucket boundary (0.25 s). */
export const DEFAULT_LATENCY_THRESHOLD_MS = 250;

/**
 * Exactly OpenTelemetry's default http.server.request.duration buckets (seconds): what the
 * zero-code SDKs and agents really export. Add a boundary here only together with an OTel
 * View in the app that declares it (docs/slos.md shows how).
 */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** OpenTelemetry HTTP server metrics as Prometheus names them. */
export function defaultMetrics(): ServiceMetrics {
  return {
    requestDuration: 'http_server_request_duration_seconds',
    statusLabel: 'http_response_status_code',
    serviceLabel: 'job',
    latencyBuckets: [...DEFAULT_LATENCY_BUCKETS],
  };
}

const PROM_LABEL = '^[a-zA-Z_][a-zA-Z0-9_]*$';

const slo: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'objective'],
  properties: {
    name: { type: 'string', pattern: NAME, description: 'SLO name, e.g. availability or checkout-latency.' },
    kind: { enum: ['availability', 'latency'] },
    objective: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'Target percentage, e.g. 99.9.' },
    thresholdMs: { type: 'integer', minimum: 1, description: 'Latency SLOs: requests under this many milliseconds are good. Must be a histogram bucket boundary (metrics.latencyBuckets); the default SLO uses 250, an OpenTelemetry default boundary.' },
    description: str(),
  },
};

const metrics = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requestDuration: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
    statusLabel: { type: 'string', pattern: PROM_LABEL },
    serviceLabel: { type: 'string', pattern: PROM_LABEL },
    latencyBuckets: {
      type: 'array', minItems: 1, uniqueItems: true, items: { type: 'number', exclusiveMinimum: 0 },
      description: 'Upper bounds in seconds of the request-duration histogram the service exports (ascending). Latency SLO thresholds must be one of them; the default is exactly OpenTelemetry\'s default list (0.005 … 10, no 0.3). Add a boundary only together with an OTel View in the app that declares it (see docs/slos.md).',
    },
    selector: {
      type: 'object', propertyNames: { pattern: PROM_LABEL }, additionalProperties: str(),
      description: 'Extra label matchers (label: exact value) for this service\'s series, e.g. {deployment_environment_name: production}. Default: production only when the observability practice is on.',
    },
  },
} satisfies ObjectSchemaFor<ServiceMetrics>;

const FILE = '^/[A-Za-z0-9._/-]+$';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: { type: 'string', pattern: NAME },
    grafanaUrl: { type: 'string', pattern: URL },
    runbookBaseUrl: { type: 'string', pattern: URL },
    pagerduty: { type: 'object', additionalProperties: false, properties: { routingKeyFile: { type: 'string', pattern: FILE, description: 'File in the Alertmanager pod holding the PagerDuty Events API v2 key. Default /etc/alertmanager/secrets/alertmanager-pagerduty/routing-key: Secret alertmanager-pagerduty, key routing-key, which the operator mounts at /etc/alertmanager/secrets/<Secret>/<key>.' } } },
    opsgenie: { type: 'object', additionalProperties: false, properties: { apiKeyFile: { type: 'string', pattern: FILE, description: 'Used when incident.onCall.tool is opsgenie: file in the Alertmanager pod holding the API key of an Opsgenie Alertmanager integration. Default /etc/alertmanager/secrets/alertmanager-opsgenie/api-key (Secret alertmanager-opsgenie, key api-key).' } } },
    slack: {
      type: 'object', additionalProperties: false,
      properties: {
        apiUrlFile: { type: 'string', pattern: FILE, description: 'File in the Alertmanager pod holding the Slack webhook URL. Default /etc/alertmanager/secrets/alertmanager-slack/api-url (Secret alertmanager-slack, key api-url).' },
        defaultChannel: { type: 'string', pattern: '^#[a-z0-9_-]+$' },
      },
    },
    heartbeat: { type: 'object', additionalProperties: false, properties: { urlFile: { type: 'string', pattern: FILE, description: 'File in the Alertmanager pod holding the URL of your dead man\'s switch (a heartbeat check that alerts when Alertmanager stops posting the always-firing Watchdog alert). Default /etc/alertmanager/secrets/alertmanager-heartbeat/url (Secret alertmanager-heartbeat, key url).' } } },
    minRequestRate: { type: 'number', minimum: 0, description: 'Low-traffic guard: a burn-rate page needs at least this many requests per second over the alert\'s long window (default 0.1 = 360 per hour).' },
    prometheusRelease: { type: 'string', pattern: NAME, description: 'Helm release name of kube-prometheus-stack; PrometheusRules get the label release=<this> so its ruleSelector picks them up.' },
  },
} satisfies ObjectSchemaFor<MonitoringConfig>;

/** Where runbooks live on the default branch, in the forge's web UI. */
function runbookBase(project: ProjectIdentity): string {
  return project.forge === 'gitlab'
    ? `${project.webBase}/${project.repository}/-/blob/${project.defaultBranch}/docs/runbooks`
    : `${project.webBase}/${project.repository}/blob/${project.defaultBranch}/docs/runbooks`;
}

export function monitoringDefaults(project: ProjectIdentity): MonitoringConfig {
  return {
    namespace: 'monitoring',
    grafanaUrl: 'https://grafana.example.com',
    runbookBaseUrl: runbookBase(project),
    // The Prometheus operator mounts each Secret listed in alertmanagerSpec.secrets at
    // /etc/alertmanager/secrets/<secret name>/<key>: these are Secret alertmanager-pagerduty,
    // key routing-key, and Secret alertmanager-slack, key api-url.
    pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key' },
    opsgenie: { apiKeyFile: '/etc/alertmanager/secrets/alertmanager-opsgenie/api-key' },
    slack: { apiUrlFile: '/etc/alertmanager/secrets/alertmanager-slack/api-url', defaultChannel: '#alerts' },
    heartbeat: { urlFile: '/etc/alertmanager/secrets/alertmanager-heartbeat/url' },
    minRequestRate: 0.1,
    prometheusRelease: 'kube-prometheus-stack',
  };
}

export const monitoringConfig: PracticeConfig = {
  practice: 'monitoring',
  requires: [],
  after: ['gitops', 'observability'],
  section: { key: 'monitoring', schema: schema as SchemaNode, defaults: monitoringDefaults },
  service: {
    schema: { team: { type: 'string', pattern: NAME, description: 'Team owning the service: its tickets go to Slack #<team>-alerts.' }, slos: { type: 'array', items: slo }, metrics: metrics as SchemaNode },
    // Request SLOs need requests: workers and jobs get none by default (their SLIs would be missing forever).
    defaults: (raw) => ({ slos: raw['kind'] === undefined || raw['kind'] === 'web' || raw['kind'] === 'grpc' ? defaultSlos() : [], metrics: defaultMetrics() }),
  },
  validate: sloProblems,
};
