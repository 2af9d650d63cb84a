/**
 * The shape of `devops.yaml` after defaults are applied (see `normalize.ts`).
 * `schema/devops.schema.json` is the contract users see; keep both in step
 * (test/spec/schema-types.test.ts compares them).
 */

export const PRACTICE_IDS = [
  'ci',
  'gitops',
  'deploy',
  'iac',
  'observability',
  'monitoring',
  'logging',
  'incident',
] as const;
export type PracticeId = (typeof PRACTICE_IDS)[number];

/** Who owns a generated file: the spec (managed: regenerated, checked) or the team (seeded: written once). */
export type Ownership = 'managed' | 'seeded';

export const LANGUAGES = ['node', 'python', 'go', 'java'] as const;
export type Language = (typeof LANGUAGES)[number];

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun', 'uv', 'poetry', 'pip', 'go', 'maven', 'gradle'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const REGISTRIES = ['ghcr', 'ecr', 'gar', 'acr'] as const;
export type Registry = (typeof REGISTRIES)[number];

export const STRATEGIES = ['rolling', 'bluegreen', 'canary'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Shell commands CI runs for a service, from the service's own folder. */
export interface ServiceCommands {
  install: string;
  lint?: string;
  test?: string;
  build?: string;
}

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

export interface ServiceDeploy {
  strategy: Strategy;
  featureFlags: boolean;
  replicas: { staging: { min: number; max: number }; production: { min: number; max: number } };
  resources: { cpu: string; memory: string; memoryLimit: string };
}

export interface Service {
  /** DNS-1123 label: lowercase letters, digits and '-', starting with a letter. */
  name: string;
  /** Repo-relative POSIX folder, '.' for the repository root. */
  path: string;
  language: Language;
  /** Runtime version, e.g. "22", "3.12", "1.23", "21". */
  version: string;
  packageManager: PackageManager;
  port: number;
  healthPath: string;
  commands: ServiceCommands;
  /** Repo-relative path of the Dockerfile CI builds (seeded when missing). */
  dockerfile: string;
  /**
   * The command the container runs, one shell-free command line split on spaces into the
   * Dockerfile's exec-form CMD (no quotes, no `$VAR`), e.g. `node src/server.js` or
   * `uvicorn app.main:app --host 0.0.0.0 --port 8000`. Unset: the seeded Dockerfile keeps its
   * stack's convention and says to set it.
   */
  start?: string;
  /**
   * Node only: repo-relative folder of the npm/pnpm/yarn workspace root (its lockfile) when this
   * service is a workspace member. CI installs there and builds the image with the root as context.
   */
  workspaceRoot?: string;
  team?: string;
  deploy: ServiceDeploy;
  slos: Slo[];
  metrics: ServiceMetrics;
}

export interface CiConfig {
  registry: Registry;
  signing: 'cosign' | 'attestation';
  runner: string;
  /** Registry settings for ECR/GAR/ACR (OIDC; no long-lived keys). */
  aws?: { region: string; roleArn: string };
  gcp?: { location: string; project: string; workloadIdentityProvider: string; serviceAccount: string };
  azure?: { registry: string; clientId: string; tenantId: string; subscriptionId: string };
}

export interface GitopsConfig {
  /** Folder holding the Kustomize bases/overlays and Argo CD objects. */
  dir: string;
  argocdNamespace: string;
  /** Production sync policy: automated after the PR-based promotion, or manual sync in Argo CD. */
  productionSync: 'automated' | 'manual';
  previews: boolean;
  /**
   * Both modes open the promotion pull requests (CI's staging PR, promote.yml's production PR);
   * the mode picks the token that opens them. `pull-request`: GITHUB_TOKEN (checks do not start
   * on such PRs by themselves). `app-token`: the PROMOTION_TOKEN secret, or a GitHub App token
   * minted per run once actions/create-github-app-token has a verified pin, so checks run.
   */
  promotion: 'app-token' | 'pull-request';
}

export interface MonitoringConfig {
  /** Namespace where Prometheus, Alertmanager and Grafana run. */
  namespace: string;
  grafanaUrl: string;
  runbookBaseUrl: string;
  pagerduty: { routingKeyFile: string };
  slack: { apiUrlFile: string; defaultChannel: string };
  /**
   * Low-traffic guard: a burn-rate page needs at least this many requests per second averaged
   * over the alert's long window (1h or 6h); below it a handful of failures cannot page.
   */
  minRequestRate: number;
  /** Helm release of kube-prometheus-stack; its ruleSelector picks PrometheusRules labelled `release: <this>`. */
  prometheusRelease: string;
}

export interface ObservabilityConfig {
  /** otelcol-contrib release; component names in the collector config follow it. */
  collectorVersion: string;
  /** Namespace of the OpenTelemetry Collector (Service `otel-collector`). */
  namespace: string;
  /** Share of new traces kept by services (OTEL_TRACES_SAMPLER_ARG), 0–1; child spans follow their parent. */
  samplingRatio: number;
  /** Added as `k8s.cluster.name` to telemetry that lacks it; omit for single-cluster setups. */
  clusterName?: string;
}

export interface LoggingConfig {
  lokiUrl: string;
  /** Namespace of the Fluent Bit DaemonSet; it reads host paths, so it needs the privileged Pod Security level. */
  namespace: string;
}

export interface Spec {
  version: 1;
  project: {
    name: string;
    /** GitHub `owner/repo`. */
    repository: string;
    defaultBranch: string;
  };
  practices: PracticeId[];
  ci: CiConfig;
  gitops: GitopsConfig;
  monitoring: MonitoringConfig;
  observability: ObservabilityConfig;
  logging: LoggingConfig;
  services: Service[];
}
