import type { Language, PackageManager, Service, ServiceDeploy, ServiceMetrics, Slo, Spec } from './types.js';

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

/** OpenTelemetry HTTP server metrics as Prometheus names them. */
export function defaultMetrics(): ServiceMetrics {
  return {
    requestDuration: 'http_server_request_duration_seconds',
    statusLabel: 'http_response_status_code',
    serviceLabel: 'job',
    latencyBuckets: [...DEFAULT_LATENCY_BUCKETS],
  };
}

/**
 * Exactly OpenTelemetry's default http.server.request.duration buckets (seconds): what the
 * zero-code SDKs and agents really export. Add a boundary here only together with an OTel
 * View in the app that declares it (docs/slos.md shows how).
 */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

export function defaultDeploy(): ServiceDeploy {
  return {
    strategy: 'rolling',
    featureFlags: false,
    replicas: { staging: { min: 1, max: 3 }, production: { min: 3, max: 10 } },
    resources: { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' },
  };
}

export const DEFAULT_VERSIONS: Record<Language, string> = { node: '22', python: '3.12', go: '1.23', java: '21' };
export const DEFAULT_PORTS: Record<Language, number> = { node: 3000, python: 8000, go: 8080, java: 8080 };

export function defaultInstall(pm: PackageManager): string {
  switch (pm) {
    case 'npm': return 'npm ci';
    case 'pnpm': return 'pnpm install --frozen-lockfile';
    case 'yarn': return 'yarn install --immutable';
    case 'bun': return 'bun install --frozen-lockfile';
    case 'uv': return 'uv sync --locked';
    case 'poetry': return 'poetry install --no-interaction';
    case 'pip': return 'pip install -r requirements.txt';
    case 'go': return 'go mod download';
    case 'maven': return './mvnw -B -q dependency:go-offline';
    case 'gradle': return './gradlew --no-daemon dependencies';
  }
}

/** Project-wide defaults for every section; services are filled by `normalizeService`. */
export function defaultSpec(name: string, repository: string): Omit<Spec, 'services'> {
  return {
    version: 1,
    project: { name, repository, defaultBranch: 'main' },
    practices: [],
    ci: { registry: 'ghcr', signing: 'cosign', runner: 'ubuntu-24.04' },
    gitops: {
      dir: 'deploy',
      argocdNamespace: 'argocd',
      productionSync: 'automated',
      previews: true,
      promotion: 'pull-request',
    },
    monitoring: {
      namespace: 'monitoring',
      grafanaUrl: 'https://grafana.example.com',
      runbookBaseUrl: `https://github.com/${repository}/blob/main/docs/runbooks`,
      // The Prometheus operator mounts each Secret listed in alertmanagerSpec.secrets at
      // /etc/alertmanager/secrets/<secret name>/<key>: these are Secret alertmanager-pagerduty,
      // key routing-key, and Secret alertmanager-slack, key api-url.
      pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key' },
      slack: { apiUrlFile: '/etc/alertmanager/secrets/alertmanager-slack/api-url', defaultChannel: '#alerts' },
      minRequestRate: 0.1,
      prometheusRelease: 'kube-prometheus-stack',
    },
    observability: { collectorVersion: '0.147.0', namespace: 'observability', samplingRatio: 1 },
    logging: { lokiUrl: 'http://loki-gateway.monitoring.svc', namespace: 'logging' },
  };
}

export type PartialService = Partial<Omit<Service, 'deploy' | 'metrics' | 'commands'>> & {
  name: string;
  path: string;
  language: Language;
  deploy?: Partial<ServiceDeploy>;
  metrics?: Partial<ServiceMetrics>;
  commands?: Partial<Service['commands']>;
};
