/**
 * What `detect()` learns about a repository. Read-only facts: the ask step turns them into
 * defaults for devops.yaml, and `init --dry-run` prints them (see describe.ts).
 *
 * Every fact a later phase may act on carries its evidence (`Fact<T>`): where it was read, or,
 * when nothing in the repository says, that it is a guess and which flag or devops.yaml key
 * settles it.
 */
import type { Language, PackageManager } from '../spec/types.js';

/**
 * One detected value with its evidence.
 * - `guess: false`: `source` names the file (and line) or the snippet it was read from, e.g.
 *   "src/ad/Dockerfile:31 `EXPOSE ${AD_PORT}` + .env:12 `AD_PORT=9555`".
 * - `guess: true`: nothing in the repository says; `source` says what the guess rests on
 *   ("Node default") and `fix` names the flag or devops.yaml key that settles it
 *   ("--port api=3000 or services[].port").
 */
export interface Fact<T> {
  value: T;
  source?: string;
  guess: boolean;
  fix?: string;
}

/**
 * Languages detection recognises. The first four are devops-init's spec languages (`Language`);
 * the others are deployable only as containers built from their own Dockerfile. `container` is
 * a Dockerfile with no language manifest beside it (an nginx, Envoy or database image).
 */
export const DETECTED_LANGUAGES = ['node', 'python', 'go', 'java', 'kotlin', 'dotnet', 'rust', 'cpp', 'php', 'ruby', 'elixir', 'container'] as const;
export type DetectedLanguage = (typeof DETECTED_LANGUAGES)[number];

/**
 * - web: serves HTTP (gets a Service, HTTP probes, request SLOs);
 * - grpc: serves gRPC (a Service; gRPC or TCP probes; HTTP request metrics do not apply);
 * - worker: no listening port (queue consumer, load generator): no Service, no request SLOs;
 * - job / cronjob: runs to completion (a Kubernetes Job or CronJob in the repo says so).
 */
export type ServiceKind = 'web' | 'grpc' | 'worker' | 'job' | 'cronjob';

/** A Kubernetes probe. `port` is the container port it targets. */
export type Probe =
  | { type: 'http'; path: string; port: number }
  /** `service` is the grpc.health.v1 service name to ask about ('' = the server as a whole). */
  | { type: 'grpc'; port: number; service?: string }
  | { type: 'tcp'; port: number }
  /** A worker with no port: no network probe can tell; the process itself is the signal. */
  | { type: 'none' };

/** An environment variable the service reads without a default: config the deployment must provide. */
export interface EnvVar {
  name: string;
  /** Where it is read, e.g. "app/core/config.py:41 `os.getenv(\"SECRET_KEY\")`". */
  source: string;
}

/** A backing service the test suite needs (compose service it connects to, Testcontainers). */
export interface TestService {
  /** Compose service name or the database kind ("db", "postgres"). */
  name: string;
  /** postgres | mysql | mariadb | redis | mongo | rabbitmq | kafka | other */
  kind: string;
  /** Image to run in CI (from compose when it names one, else the official image). */
  image: string;
  /** Port the tests reach it on. */
  port?: number;
  /** Environment the container needs to start (from compose, e.g. POSTGRES_PASSWORD). */
  env?: Record<string, string>;
  source: string;
}

/** How the service's existing Dockerfile is built. Only set when a Dockerfile exists. */
export interface BuildFacts {
  /** Repo-relative path of the Dockerfile. */
  dockerfile: Fact<string>;
  /**
   * Repo-relative build context ('.' = repository root): compose `build.context` when a compose
   * service builds this Dockerfile, else the folder where every COPY/ADD source exists (the
   * Dockerfile's folder first, then its parents up to the root).
   */
  context: Fact<string>;
  /**
   * A command to run (from the context folder) before `docker build`, when the Dockerfile copies
   * build output that is not committed: Nx `dist/...`, Maven `target/*.jar`, Gradle `build/libs`.
   */
  prebuild?: Fact<string>;
  /** COPY/ADD sources of the Dockerfile (without --from stages and URLs), as written. */
  copySources: string[];
  /** Sources that do not exist relative to `context` even after `prebuild` (should be empty). */
  missingSources: string[];
  /** Repo-relative .dockerignore that applies to this build, if one exists. */
  dockerignore?: string;
  /** The final stage's base image as written ("node:20-alpine"). */
  baseImage?: string;
}

/** Facts every deployable carries, whatever its language. */
export interface ServiceEvidence {
  /** Where the service name came from (folder, compose service, manifest name). */
  name: Fact<string>;
  language: Fact<DetectedLanguage>;
  /** 'spring-boot', 'fastapi', 'flask', 'django', 'express', 'fastify', 'nestjs', 'next', 'gin', 'echo', 'chi', 'net/http', 'grpc', 'aspnetcore', 'axum', 'actix-web', 'rails', 'sinatra', 'phoenix', 'laravel', 'envoy', 'nginx' … */
  framework?: Fact<string>;
  kind: Fact<ServiceKind>;
  /** cronjob only: the schedule of the existing CronJob manifest. */
  schedule?: Fact<string>;
  /** Runtime version (Dockerfile FROM wins when it pins the runtime). */
  version?: Fact<string>;
  /** Container port. Unset for worker, job and cronjob. A guess (language default) when nothing says. */
  port?: Fact<number>;
  /** Unset for job and cronjob. `{type:'none'}` for a worker. */
  liveness?: Fact<Probe>;
  readiness?: Fact<Probe>;
  /** Only when the service has an existing Dockerfile. */
  build?: BuildFacts;
  /** Test and lint commands with the file that implies them (only direct dependencies and config files). */
  commands: { install?: Fact<string>; test?: Fact<string>; lint?: Fact<string>; build?: Fact<string> };
  /** Environment variables read without a default, sorted by name. Never given made-up values. */
  requiredEnv: EnvVar[];
  /** Services the tests need; empty when none are known. */
  testServices: TestService[];
  /** Why the tests were left without a command or without their services, if so. */
  testNote?: string;
}

export interface DetectedService {
  /** DNS-1123 label derived from the folder, compose service or (single-project repos) manifest name. */
  name: string;
  /** Repo-relative POSIX folder, '.' for root. */
  path: string;
  language: Language;
  /** Runtime version ("22", "3.12", "1.23", "21"); undefined if nothing says. */
  version?: string;
  packageManager: PackageManager;
  commands: { install: string; lint?: string; test?: string; build?: string };
  /** Only when a reliable source says (Dockerfile EXPOSE, compose, server.port, .env, code default). */
  port?: number;
  /** Repo-relative path of an EXISTING Dockerfile for this service. */
  dockerfile?: string;
  /**
   * The command the container runs (devops.yaml services[].start), only when the project says it
   * plainly: a `node <file>` start script or main (Node), a framework's server with its app object
   * (Python). Unset when an existing Dockerfile is reused: that file already decides.
   */
  start?: string;
  /** Node workspace members: the folder holding the workspace lockfile ('.' = repository root). */
  workspaceRoot?: string;
  /** Every fact with its evidence (see ServiceEvidence). */
  evidence: ServiceEvidence;
  /** Human lines explaining each decision, e.g. "pnpm-lock.yaml → package manager pnpm". */
  reasons: string[];
}

/**
 * A deployable outside devops-init's four spec languages (C#, Rust, C++, PHP, Ruby, Elixir,
 * Kotlin, or a Dockerfile-only image). It has an existing Dockerfile, so it can be built,
 * scanned, pushed, deployed and probed; `init` does not write it to devops.yaml yet.
 */
export interface ContainerService {
  name: string;
  path: string;
  language: DetectedLanguage;
  /** Tool that builds it: cargo, dotnet, mix, bundler, composer, cmake, make, gradle … */
  buildTool?: string;
  dockerfile: string;
  evidence: ServiceEvidence;
  reasons: string[];
}

/** A folder that looks like a project but will not be deployed, and why. */
export interface SkippedFolder {
  path: string;
  reason: string;
}

/** Kubernetes configuration the repository already has. */
export interface ExistingDeployment {
  /** Chart folder, kustomization folder, or folder of plain manifests. */
  path: string;
  kind: 'helm' | 'kustomize' | 'manifests';
  /** Services it deploys (detected service names), when workload names or images match. */
  services: string[];
  /** Workload kinds found (Deployment, StatefulSet, CronJob …), for plain manifests and kustomize. */
  workloads?: string[];
}

/** The repository's own lint and format settings generated files should respect. */
export interface RepoConventions {
  /** Renovate config file, when the repository uses Renovate. */
  renovate?: string;
  /** .github/dependabot.yml, when present. */
  dependabot?: string;
  yamllint?: {
    path: string;
    /** rules.line-length.max; false when the rule is disabled. */
    lineLength?: number | false;
    /** rules.comments.min-spaces-from-content. */
    commentsMinSpaces?: number;
    /** rules.document-start: 'required' (present: true), 'forbidden' (present: false), 'disabled'. */
    documentStart?: 'required' | 'forbidden' | 'disabled';
    /** rules.indentation.spaces. */
    indentation?: number;
    /** rules.truthy allowed values, when configured. */
    truthyAllowed?: string[];
    /** Paths the config ignores (its `ignore` key), as written. */
    ignore?: string[];
  };
  markdownlint?: {
    path: string;
    /** MD013 line_length; false when MD013 is disabled. */
    lineLength?: number | false;
    /** Rules switched off (MD0xx or their names). */
    disabled: string[];
  };
  editorconfig?: {
    path: string;
    /** Settings of the `[*]` section (and `[*.{yml,yaml}]`/`[*.md]` when present): indent_size, max_line_length … */
    all: Record<string, string>;
    yaml: Record<string, string>;
    markdown: Record<string, string>;
  };
  /** .yamllint / markdownlint ignore lists, if any (.yamlignore, .markdownlintignore). */
  lintIgnoreFiles: string[];
}

export type MonorepoKind = 'npm-workspaces' | 'pnpm-workspaces' | 'yarn-workspaces' | 'go-work' | 'folders' | 'compose';

export interface RepoFacts {
  root: string;
  /**
   * The name `init` uses today: the root manifest name, else the folder (unchanged by issue 10 so
   * existing specs keep their namespaces). The lead switches init to `projectNameEvidence`.
   */
  projectName: string;
  /** Issue 10's rule: the origin remote's repository name, else a non-placeholder root manifest name, else the folder (a guess). */
  projectNameEvidence: Fact<string>;
  /** "owner/repo" from the origin remote in .git/config. */
  repository?: string;
  /** The origin remote's host (lowercase) and full project path (GitLab paths may have subgroups). */
  remote?: { host: string; path: string };
  /** From .git (origin's HEAD when known, else the checked-out branch). */
  defaultBranch?: string;
  monorepo?: MonorepoKind;
  /**
   * Deployables in devops-init's four languages, sorted by path: what `init` writes to
   * devops.yaml today. (A service in another language is in `containerServices`.)
   */
  services: DetectedService[];
  /**
   * Deployables with their own Dockerfile in any other language (or none): C#, Rust, C++, PHP,
   * Ruby, Elixir, Kotlin, Dockerfile-only images. Sorted by path. Not yet written by `init`.
   */
  containerServices: ContainerService[];
  /** Folders seen but not deployed, with the reason (libraries, mobile apps, docs, tooling images…). */
  skipped: SkippedFolder[];
  /** Compose files read (repo-relative), first = the one services were matched against. */
  composeFiles: string[];
  /** Existing Helm charts, Kustomize trees and plain manifests. */
  deployments: ExistingDeployment[];
  conventions: RepoConventions;
  /** Repo-relative paths of .github/workflows/*.yml|yaml. */
  existingWorkflows: string[];
  /**
   * Every guess, together: which service, which fact, the value taken and the flag or
   * devops.yaml key that fixes it. Also in each service's evidence.
   */
  guesses: { service: string; fact: string; value: string; because: string; fix: string }[];
  /** Anything the user should know (defaults taken, files that could not be read, disagreements). */
  notes: string[];
}
