/**
 * The shape of `devops.yaml` after defaults are applied (see `normalize.ts`). Each practice
 * owns its section's type, schema fragment and defaults (src/practices/<id>/config.ts);
 * `schema/devops.schema.json` is composed from them (src/spec/schema.ts), and
 * test/spec/schema.test.ts proves schema, types, defaults and key order agree.
 */
import type { CiConfig } from '../practices/ci/config.js';
import type { ServiceDeploy } from '../practices/deploy/config.js';
import type { GitopsConfig, ServiceManifests } from '../practices/gitops/config.js';
import type { IncidentConfig } from '../practices/incident/config.js';
import type { DatabaseEngine, IacConfig } from '../practices/iac/config.js';
import type { LoggingConfig } from '../practices/logging/config.js';
import type { MonitoringConfig, ServiceMetrics, Slo } from '../practices/monitoring/config.js';
import type { ObservabilityConfig } from '../practices/observability/config.js';

export type { CiConfig, DatabaseEngine, GitopsConfig, ServiceManifests, IacConfig, IncidentConfig, LoggingConfig, MonitoringConfig, ObservabilityConfig, ServiceDeploy, ServiceMetrics, Slo };

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

/**
 * Languages a service can be written in. The first four get a seeded Dockerfile, zero-code
 * OpenTelemetry and toolchain-aware CI; the others build from the repository's own Dockerfile
 * (`container`: a Dockerfile with no language manifest, e.g. an nginx or Envoy image).
 */
export const LANGUAGES = ['node', 'python', 'go', 'java', 'kotlin', 'dotnet', 'rust', 'cpp', 'php', 'ruby', 'elixir', 'container'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The languages devops-init seeds a Dockerfile and zero-code instrumentation for. */
export const SEEDED_LANGUAGES = ['node', 'python', 'go', 'java'] as const;
export type SeededLanguage = (typeof SEEDED_LANGUAGES)[number];

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun', 'uv', 'poetry', 'pip', 'go', 'maven', 'gradle', 'cargo', 'nuget', 'bundler', 'composer', 'mix', 'make', 'none'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * What kind of process a service is: `web` serves HTTP; `grpc` serves gRPC; `worker` listens on
 * no port (queue consumers, load generators); `job` and `cronjob` run to completion.
 */
export const SERVICE_KINDS = ['web', 'grpc', 'worker', 'job', 'cronjob'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** How Kubernetes checks the service is alive and ready. */
export interface ServiceProbes {
  /** http: GET a path; grpc: the grpc.health.v1 protocol; tcp: the port accepts connections; none: no probe. */
  type: 'http' | 'grpc' | 'tcp' | 'none';
  /** http: the liveness path (and the readiness path unless `readinessPath` is set). */
  path?: string;
  /** http: a separate readiness path (Spring Boot's /actuator/health/readiness). */
  readinessPath?: string;
  /** The container port probes target when it is not the service port (a management port). */
  port?: number;
}

/** A container the test job needs beside it (a database the tests connect to). */
export interface TestService {
  /** Hostname the tests reach it by, e.g. postgres. */
  name: string;
  image: string;
  port?: number;
  env?: Record<string, string>;
}

/** Shell commands CI runs for a service, from the service's own folder. */
export interface ServiceCommands {
  /** Empty: nothing to install (a Dockerfile-only service). */
  install: string;
  lint?: string;
  test?: string;
  build?: string;
  /** Runs before `docker build` from the build context, when the Dockerfile copies build output (Nx `dist/`, Maven `target/*.jar`). */
  prebuild?: string;
}

export interface Service {
  /** DNS-1123 label: lowercase letters, digits and '-', starting with a letter. */
  name: string;
  /** Repo-relative POSIX folder, '.' for the repository root. */
  path: string;
  kind: ServiceKind;
  language: Language;
  /** Runtime version, e.g. "22", "3.12", "1.23", "21". */
  version: string;
  packageManager: PackageManager;
  /** The port it listens on; unused for worker, job and cronjob. */
  port: number;
  /** The HTTP health path (`probes.path` wins when set). */
  healthPath: string;
  probes: ServiceProbes;
  commands: ServiceCommands;
  /** Repo-relative path of the Dockerfile CI builds (seeded when missing, for the seeded languages). */
  dockerfile: string;
  /** Folder `docker build` runs in; default: the service folder (the workspace root for workspace members). */
  buildContext?: string;
  /** cronjob only: the schedule (cron syntax, UTC). */
  schedule?: string;
  /** Environment variables the service reads without a default: the deployment takes them from the Secret `<service>-config`. */
  requiredEnv?: string[];
  /** Containers the test job runs beside it. */
  testServices?: TestService[];
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
  /** Team owning the service (monitoring routes its tickets to #<team>-alerts). */
  team?: string;
  /** A managed database the service needs (provisioned by the iac practice). */
  database?: DatabaseEngine;
  deploy: ServiceDeploy;
  /** Existing Helm chart, Kustomize tree or manifests Argo CD deploys instead of a generated tree (gitops). */
  manifests?: ServiceManifests;
  slos: Slo[];
  metrics: ServiceMetrics;
}

export interface Spec {
  version: 1;
  project: {
    name: string;
    /** Path of the repository on its forge: GitHub `owner/repo`, GitLab `group[/subgroup]/project`. */
    repository: string;
    defaultBranch: string;
    /** Linters the repository runs over all its files; generated files carry their skip-file comment. */
    linters?: ('yamllint' | 'markdownlint')[];
  };
  practices: PracticeId[];
  ci: CiConfig;
  gitops: GitopsConfig;
  iac: IacConfig;
  monitoring: MonitoringConfig;
  observability: ObservabilityConfig;
  logging: LoggingConfig;
  incident: IncidentConfig;
  services: Service[];
}
