/**
 * The shape of `devops.yaml` after defaults are applied (see `normalize.ts`). Each practice
 * owns its section's type, schema fragment and defaults (src/practices/<id>/config.ts);
 * `schema/devops.schema.json` is composed from them (src/spec/schema.ts), and
 * test/spec/schema.test.ts proves schema, types, defaults and key order agree.
 */
import type { CiConfig } from '../practices/ci/config.js';
import type { ServiceDeploy } from '../practices/deploy/config.js';
import type { GitopsConfig } from '../practices/gitops/config.js';
import type { DatabaseEngine, IacConfig } from '../practices/iac/config.js';
import type { LoggingConfig } from '../practices/logging/config.js';
import type { MonitoringConfig, ServiceMetrics, Slo } from '../practices/monitoring/config.js';
import type { ObservabilityConfig } from '../practices/observability/config.js';

export type { CiConfig, DatabaseEngine, GitopsConfig, IacConfig, LoggingConfig, MonitoringConfig, ObservabilityConfig, ServiceDeploy, ServiceMetrics, Slo };

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

/** Shell commands CI runs for a service, from the service's own folder. */
export interface ServiceCommands {
  install: string;
  lint?: string;
  test?: string;
  build?: string;
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
  /** Team owning the service (monitoring routes its tickets to #<team>-alerts). */
  team?: string;
  /** A managed database the service needs (provisioned by the iac practice). */
  database?: DatabaseEngine;
  deploy: ServiceDeploy;
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
  };
  practices: PracticeId[];
  ci: CiConfig;
  gitops: GitopsConfig;
  iac: IacConfig;
  monitoring: MonitoringConfig;
  observability: ObservabilityConfig;
  logging: LoggingConfig;
  services: Service[];
}
