/**
 * The model: one typed, provider-neutral description of the setup, built in memory from the
 * spec. Practices contribute to it (in PRACTICES order; a later practice may read and amend
 * what an earlier one contributed) and never import each other; emitters turn it into files
 * (src/emit/). See docs/architecture.md.
 *
 * Values a later practice may still change are read at emit time: object-valued parts that
 * depend on other contributions are thunks (`() => …`) evaluated after every practice ran.
 */
import type { Ownership, PracticeId, Service, Spec } from '../spec/types.js';

/** Who contributed a part of the model (and owns the files emitted from it). */
export type Owner = PracticeId;

type Obj = Record<string, unknown>;

/** A value computed when emitters run, after every practice contributed. */
export type Lazy<T> = () => T;

/** Where the repository lives: decides Git URLs and web links (GitHub or GitLab). */
export interface SourceModel {
  provider: 'github' | 'gitlab';
  /** `https://github.com` or the GitLab instance URL, without a trailing slash. */
  webBase: string;
  /** The Git URL Argo CD and docs use, e.g. https://github.com/acme/shop.git. */
  repoURL: string;
  /** A file on the default branch in the web UI. */
  blobURL(path: string): string;
  /** What the forge calls a change request, for docs and comments: pull request (PR) or merge request (MR). */
  changeRequest: { name: string; plural: string; short: string };
}

/** The container image a service is built into (set by the ci practice). */
export interface ImageModel {
  /** Registry repository without a tag, the same string everywhere (CI, Kustomize, Argo CD, docs). */
  repository: string;
  /** Build context folder, repo-relative ('.' = root). */
  context: string;
  dockerfile: string;
  /** Node workspace member: context is the workspace root, install happens there. */
  workspace: boolean;
  /** Runs in the build context before the image is built, when the Dockerfile copies build output (services[].commands.prebuild). */
  prebuild?: string;
  /**
   * Named build contexts (name → repo-relative folder) the build passes beside `context`
   * (`--build-context`; BuildKit's `context:<name>`), read at emit time: a later practice adds
   * them through `ServiceModel.buildContexts` (observability's OpenTelemetry lock for Node).
   */
  namedContexts: () => Record<string, string>;
}

/** A service as every practice and emitter sees it: the spec's fields plus facts contributed later. */
export interface ServiceModel {
  spec: Service;
  name: string;
  path: string;
  /** The image, when a practice builds one (ci). */
  image?: ImageModel;
  /** OpenTelemetry zero-code instrumentation is expected in the image (set by observability). */
  instrumented: boolean;
  /**
   * Named build contexts the image build needs (name → repo-relative folder), for files the
   * Dockerfile reads from outside its own context with `COPY --from=<name>` (observability: the
   * shared OpenTelemetry lock of Node services). Empty by default.
   */
  buildContexts: Record<string, string>;
}

// ---------------------------------------------------------------------------------------
// Pipelines (CI/CD): intent-level, rendered by the CI provider's emitter.

/** Toolchain a check job sets up: language, version, package manager and what its cache hashes. */
export interface ToolchainSetup {
  /** Bun release, for Bun services (the same one the seeded Dockerfile uses). */
  bunVersion?: string;
  /**
   * The container image a check job runs in on container-based CI (GitLab CI): the language's
   * official image at the same pinned version the seeded Dockerfile builds from.
   */
  image: string;
  /** Python tools installed in that image (uv, Poetry), at the versions the Dockerfile uses. */
  pythonTools: { uv: string; poetry: string };
  language: Service['language'];
  version: string;
  packageManager: Service['packageManager'];
  /** Folder holding the dependency manifests/lockfile (workspace root for members). */
  dependencyDir: string;
  /** The service folder. */
  serviceDir: string;
}

export interface CheckJob {
  id: 'lint' | 'test';
  title: string;
  command: string;
  timeoutMinutes: number;
}

/** Registry the image job logs in to (OIDC everywhere but GHCR/GitLab's own registry). */
export type RegistryLogin =
  | { kind: 'ghcr'; host: string }
  | { kind: 'gitlab'; host: string }
  | {
      kind: 'ecr';
      host: string;
      region: string;
      /** Role the image job assumes on the default branch. */
      roleArn: string;
      /** Role preview builds assume on change requests (set when IaC creates one; else `roleArn`). */
      previewRoleArn?: string;
    }
  | { kind: 'gar'; host: string; location: string; project: string; workloadIdentityProvider: string; serviceAccount: string }
  | { kind: 'acr'; host: string; registry: string; clientId: string; tenantId: string; subscriptionId: string };

/**
 * Whose token writes a promotion change request: the pipeline's own (`pipeline`: no setup, but
 * on GitHub its pull requests start no checks) or an app credential the team sets up (`app`:
 * a GitHub App token minted per run, a GitLab project access token), so checks run.
 */
export type PromotionToken = 'pipeline' | 'app';

/** The staging promotion after an image is pushed (contributed by gitops). */
export interface StagingPromotion {
  overlayDir: string;
  kustomization: string;
  kustomizeVersion: string;
  branch: string;
  token: PromotionToken;
}

/** Build, scan, push and sign one service's image; lint and test first. */
export interface ServicePipeline {
  kind: 'service';
  id: string;
  owner: Owner;
  service: string;
  defaultBranch: string;
  /** Paths that trigger it (undefined: every change) and paths that never do. */
  paths?: string[];
  ignorePaths: string[];
  setup: ToolchainSetup;
  install: { command: string; dir?: string };
  checks: CheckJob[];
  image: ImageModel & { scanTag: string; sarif: string; cacheScope: string };
  registry: RegistryLogin;
  signing: 'cosign' | 'attestation';
  /** Set by gitops: pin the new digest in the staging overlay through a change request. */
  promote?: StagingPromotion;
  /** Containers the test job runs beside the tests (services[].testServices). */
  testServices?: { name: string; image: string; port?: number; env?: Record<string, string> }[];
}

/** Repository-wide secret scanning and dependency review. */
export interface SecurityPipeline {
  kind: 'security';
  id: string;
  owner: Owner;
  defaultBranch: string;
  gitleaksImage: string;
}

/** `devops-init check` on every change request. */
export interface DriftCheckPipeline {
  kind: 'drift-check';
  id: string;
  owner: Owner;
  defaultBranch: string;
  toolVersion: string;
  /** POSIX shell that runs the check (reads DEVOPS_INIT_VERSION): the repository's lockfile-pinned copy when it has one, else that exact version. */
  script: string;
}

/** Copies staging's digests into the production overlays through a reviewed change request. */
export interface ProductionPromotionPipeline {
  kind: 'promote-production';
  id: string;
  owner: Owner;
  dir: string;
  services: { name: string; image: string }[];
  kustomizeVersion: string;
  unpromoted: string;
  addPaths: string;
  token: PromotionToken;
}

/** Builds every service's image for labelled change requests (preview environments). */
export interface PreviewImagesPipeline {
  kind: 'preview-images';
  id: string;
  owner: Owner;
  label: string;
  tag: { prefix: string; shortShaLength: number };
  services: { service: string; image: string; context: string; file: string; namedContexts: () => Record<string, string> }[];
  registry: RegistryLogin;
}

/** promtool check + test of the SLO rules and amtool of the Alertmanager config. */
export interface RulesPipeline {
  kind: 'slo-rules';
  id: string;
  owner: Owner;
  defaultBranch: string;
  hasRules: boolean;
  prometheusImage: string;
  alertmanagerImage: string;
  routeTests: { receiver: string; labels: string[] }[];
}

/** One environment an infrastructure pipeline plans or applies: its root folder and the identities it assumes. */
export interface InfraPipelineEnvironment {
  name: string;
  /** Repo-relative root folder, e.g. infra/envs/staging. */
  root: string;
  region: string;
  /** Read-only role: plans on change requests and the drift check. */
  planRole: string;
  /** Apply role: trusted only in this environment's protected deployment environment. */
  applyRole: string;
}

/** What every infrastructure pipeline shares (contributed by iac). */
interface InfraPipelineBase {
  id: string;
  owner: Owner;
  defaultBranch: string;
  tool: 'terraform';
  toolVersion: string;
  /** The IaC folder (infra): changes under it trigger the plan and apply pipelines. */
  dir: string;
  /** Environments in apply order. */
  environments: InfraPipelineEnvironment[];
  /** The audience the roles' trust policies require of CI's OIDC token (a GitLab job requests it in `id_tokens`). */
  oidcAudience: string;
}

/**
 * On change requests touching the IaC folder: format check, validate and `terraform test` of
 * every module folder under `<dir>/modules`, a misconfiguration scan, and a plan per environment with the read-only role,
 * reported on the change request (one comment, updated) and in the job summary.
 */
export interface InfraPlanPipeline extends InfraPipelineBase {
  kind: 'infra-plan';
  /** Severities the misconfiguration scan fails on, e.g. HIGH,CRITICAL. */
  scanSeverity: string;
}

/** On merge to the default branch: re-plan and apply each environment in turn, behind its protected environment. */
export interface InfraApplyPipeline extends InfraPipelineBase {
  kind: 'infra-apply';
}

/** Nightly: plan every environment without the lock; exit code 2 (changes) opens or updates one issue, a clean run closes it. */
export interface InfraDriftPipeline extends InfraPipelineBase {
  kind: 'infra-drift';
  /** Cron (UTC). */
  schedule: string;
  /** Title of the one drift issue (also how the pipeline finds it again). */
  issueTitle: string;
}

/** Labels the incident pipelines read and write (contributed by incident). */
export interface IncidentLabels {
  incident: string;
  postmortem: string;
  overdue: string;
  drill: string;
}

/** A label the incident pipelines create when it is missing (colour: six hex digits, no `#`). */
export interface LabelDefinition {
  name: string;
  color: string;
  description: string;
}

/**
 * Every label the incident forms, templates and docs name (issue forms and quick actions do not
 * create labels), and the idempotent step each scheduled incident job runs first to create the
 * missing ones. An existing label is left as the team keeps it.
 */
export interface EnsureLabels {
  definitions: LabelDefinition[];
  /** The step's logic for actions/github-script (GitHub). */
  githubScript: string;
  /** The same as a Node script file in the repository, run before the job's own script (GitLab). */
  gitlabScriptPath: string;
}

/**
 * Scheduled: an incident issue closed more than `businessDays` business days ago with no
 * postmortem linking it gets one reminder comment and the overdue label (idempotent).
 */
export interface PostmortemReminderPipeline {
  kind: 'incident-postmortems';
  id: string;
  owner: Owner;
  /** Cron (UTC). */
  schedule: string;
  businessDays: number;
  labels: IncidentLabels;
  ensureLabels: EnsureLabels;
  /** The job's logic: JavaScript for actions/github-script (GitHub). */
  githubScript: string;
  /** The same logic as a Node script file in the repository (GitLab), and the token variable it reads. */
  gitlab: { scriptPath: string; tokenVariable: string; image: string };
}

/** Scheduled (quarter or month start) and on demand: open the period's failover drill issue, built from this repository. */
export interface DrillPipeline {
  kind: 'incident-drill';
  id: string;
  owner: Owner;
  schedule: string;
  cadence: 'quarterly' | 'monthly';
  /** Where the rehearsal's commands point (staging unless the team chose production). */
  environment: 'staging' | 'production';
  labels: IncidentLabels;
  ensureLabels: EnsureLabels;
  /** The drill issue's body (markdown). */
  body: string;
  githubScript: string;
  gitlab: { scriptPath: string; bodyPath: string; tokenVariable: string; image: string };
  /** The automated rehearsal (run by hand), where the setup allows one. */
  rehearsal?: DrillRehearsal;
}

/**
 * Delete one zone's pods of a service and time its recovery, from CI, on demand. Staging unless
 * the run says production, confirms it, and the protected production environment approves.
 */
export interface DrillRehearsal {
  /** The script in the repository that does it (shellcheck-clean bash). */
  scriptPath: string;
  services: string[];
  namespaces: { staging: string; production: string };
  defaultEnvironment: 'staging' | 'production';
  /** The CI secret holding the kubeconfig, per environment. */
  secret: string;
  /** kubectl the GitHub job installs. */
  kubectlVersion: string;
  /** The GitLab job's image (kubectl and bash). */
  image: string;
  timeoutSeconds: number;
}

export type Pipeline = ServicePipeline | SecurityPipeline | DriftCheckPipeline | ProductionPromotionPipeline | PreviewImagesPipeline | RulesPipeline | InfraPlanPipeline | InfraApplyPipeline | InfraDriftPipeline | PostmortemReminderPipeline | DrillPipeline;

/** What automated dependency updates watch (Dependabot on GitHub): package managers, Dockerfiles, CI actions. */
export interface DependencyUpdates {
  owner: Owner;
  /** Who opens the update pull requests: Dependabot (written by the GitHub emitter), the team's own Renovate, or nobody. */
  tool: 'dependabot' | 'renovate' | 'none';
  /** In order; `dir` is repo-relative ('.' = root). */
  entries: { manager: Service['packageManager'] | 'docker' | 'ci'; dir: string }[];
}

// ---------------------------------------------------------------------------------------
// Workloads and Kubernetes manifests.

/** One Kustomize resource file: its name in the folder, its objects and a comment header. */
export interface ManifestFile {
  file: string;
  objects: Lazy<Obj[]>;
  comments?: string[];
  owner?: Owner;
  /** The one service whose spec (with the settings outside `services:`) the objects read (FileSpec.service). */
  service?: string;
  /** What else of devops.yaml the objects read, as data paths (FileSpec.alsoReads). */
  alsoReads?: string[];
}

/** One container environment variable, shaped like the Kubernetes EnvVar. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } } | { secretKeyRef: { name: string; key: string; optional: boolean } };
}

export type OverlayName = 'staging' | 'production' | 'preview';

export interface OverlayModel {
  name: OverlayName;
  /** Repo-relative folder of the overlay. */
  dir: string;
  namespace: string;
  /**
   * Strategic merge patches in order (HPA bounds from gitops; the Rollout patch from deploy),
   * one object each, written inline in the overlay's kustomization.yaml (`file`: the file an
   * earlier version wrote it to, now retired; `comments`: the lines above its entry).
   */
  patches: ManifestFile[];
  image: { name: string; digest?: string; tag?: string; newName?: string };
  /** Who writes the image pin: CI (staging), the promote workflow (production), Argo CD (preview). */
  promotedBy: 'ci' | 'promote' | 'argocd';
  /**
   * Files of this overlay turned into ConfigMaps (the feature-flag file, added by deploy): each
   * overlay has its own, so a change reaches one environment at a time and is promoted like an
   * image. `source` is the configMapGenerator entry (`key=path`, relative to the overlay).
   */
  configMaps: { name: string; file: string; source: string }[];
}

/**
 * A service's Kustomize base and overlays (contributed by gitops). Later practices amend it:
 * observability and logging add environment variables, deploy swaps the Deployment for a
 * Rollout and adds the flagd sidecar.
 */
export interface WorkloadModel {
  owner: Owner;
  service: string;
  dir: string;
  /** Deployment (web, grpc, worker; deploy may swap in a Rollout), Job or CronJob (run to completion). */
  kind: 'Deployment' | 'Rollout' | 'Job' | 'CronJob';
  /** Environment of the app container: groups in order, each computed at emit time. */
  env: Lazy<EnvVar[]>[];
  /** Extra containers beside the app (flagd). */
  sidecars: Obj[];
  /** Extra pod volumes. */
  volumes: Obj[];
  /** The files that define the workload itself (deployment.yaml, or the Rollout and its helpers). */
  workloadFiles: ManifestFile[];
  /** The other base files (Service, ServiceAccount, HPA, PDB). */
  baseFiles: ManifestFile[];
  overlays: OverlayModel[];
  /** The pod template every workload kind shares, read at emit time. */
  podTemplate: Lazy<Obj>;
  /** A Service selecting this workload's pods under another name (canary, preview). */
  serviceObject(name: string): Obj;
}

/** A plain Kustomize folder (platform components, monitoring objects) and what its kustomization.yaml says. */
export interface ManifestDir {
  owner: Owner;
  dir: string;
  /** Every object's namespace, when the folder sets one. */
  namespace?: string;
  files: ManifestFile[];
  /** Resources that are not files of this folder (another kustomization, e.g. `../dashboards`). */
  extraResources?: string[];
  /** Config files turned into ConfigMaps (name hashed: a config change rolls the pods). */
  configMaps?: { name: string; files: string[] }[];
  /** `app.kubernetes.io/part-of` on every object (not on selectors). */
  partOf?: string;
}

/**
 * The preview environment: one namespace per change request, every service's preview overlay.
 * The folder is deployed at the change request's head commit, so nothing in it may be trusted
 * with isolation: the namespace, its Pod Security labels, network policies and quota come from
 * the guard folder, which Argo CD deploys from the default branch (see the gitops practice).
 */
export interface PreviewsModel {
  owner: Owner;
  dir: string;
  label: string;
  namespacePlaceholder: string;
  /** Files of the previews folder besides its kustomization (none today: the namespace is not the PR's). */
  files: ManifestFile[];
  /** The guard folder (a plain manifest folder in `manifests`), deployed from the default branch. */
  guardDir: string;
}

/**
 * The namespace of each long-lived environment (contributed by gitops). Monitoring selects the
 * SLO's production series by it: the collector derives a series' namespace from the pod that
 * sent it, so a workload elsewhere (a preview) cannot write production SLI series.
 */
export interface EnvironmentNamespaces {
  owner: Owner;
  staging: string;
  production: string;
  /** Glob of the preview namespaces (`<project>-pr-*`), when previews are on. */
  previews?: string;
}

// ---------------------------------------------------------------------------------------
// Argo CD.

export interface ArgoFile {
  owner: Owner;
  /** Path relative to the Argo CD folder, e.g. `project.yaml` or `apps/api-staging.yaml`. */
  file: string;
  objects: Lazy<Obj[]>;
  comments?: string[];
  /** Template for files with a fixed header comment (defaults to the plain objects file). */
  header?: string;
}

/** The platform AppProject: cluster-wide telemetry apps (observability, monitoring, logging). */
export interface PlatformProject {
  namespaces: string[];
  sourceRepos: string[];
}

export interface ArgoModel {
  owner: Owner;
  namespace: string;
  /** `<gitops.dir>/argocd`. */
  dir: string;
  files: ArgoFile[];
  /** Filled by the practices that deploy platform apps; written when it has a namespace. */
  platform: PlatformProject;
  platformProjectName: string;
  /** Builds a platform Application (auto-synced, in the platform project). */
  platformApplication(name: string, namespace: string, source: Obj, syncOptions: string[]): Obj;
}

// ---------------------------------------------------------------------------------------
// Telemetry and alerting facts other practices read.

/** Set by observability: services export OpenTelemetry to the collector. */
export interface TelemetryModel {
  /**
   * Prometheus label of `deployment.environment.name`, which each service declares about itself
   * (OTEL_RESOURCE_ATTRIBUTES): fine for dashboards, not a trust boundary.
   */
  environmentLabel: string;
  /**
   * Prometheus label of the pod's namespace as the collector derived it from the sending pod
   * (client-sent `k8s.*` attributes are dropped first): what SLO rules and analysis select by.
   */
  namespaceLabel: string;
  /** Prometheus label of the pod's `rollouts-pod-template-hash`, collector-derived like the namespace. */
  podTemplateHashLabel: string;
  /** How often services export metrics (OTEL_METRIC_EXPORT_INTERVAL, ms): every rate window derives from it. */
  metricExportIntervalMs: number;
  /** Helm release + chart values of kube-prometheus-stack, so monitoring can add Alertmanager's routing. */
  prometheusStackValues?: Obj;
  /** With the log shipper reading stdout, SDKs must not export logs over OTLP too (set by logging). */
  logsExportedByShipper: boolean;
}

/**
 * Where service logs can be searched, by the labels the generated pipeline really sets
 * (contributed by observability when the SDKs export logs over OTLP to Loki, replaced by logging
 * when Fluent Bit ships stdout instead). Incident's runbooks quote the query.
 */
export interface LogsModel {
  owner: Owner;
  /** What ships them, for the text: "Fluent Bit". */
  shipper: string;
  /** LogQL selecting one service's error lines in one namespace. */
  errorQuery(namespace: string, service: string): string;
}

/** One alert rule the monitoring practice generates (incident reads these). */
export interface AlertModel {
  name: string;
  service: string;
  severity: 'page' | 'ticket';
  slo?: string;
  expr: string;
  runbookUrl: string;
  dashboardUrl: string;
  summary: string;
  /** The rule's description annotation (SLO, budget, burn windows). */
  description?: string;
  /** How long the condition must hold before it fires (the rule's `for`). */
  for?: string;
  /**
   * Labels later practices add to this alert (incident: its incident severity). Monitoring merges
   * them into the rule's labels, its promtool expectations and Alertmanager's routing at emit time.
   */
  labels?: Record<string, string>;
}

/**
 * Incident severities as Alertmanager routes them (set by incident, read lazily by monitoring):
 * every alert carries `label` = one of `levels`, and each level's `routing` picks the receiver.
 */
export interface AlertRouting {
  owner: Owner;
  /** The alert label holding the severity name, e.g. `incident_severity`. */
  label: string;
  /** Worst first (SEV1 … SEV4), as in docs/incident/severities.md. */
  levels: { name: string; routing: 'page' | 'ticket' }[];
  /** Where page-worthy levels go: PagerDuty, Opsgenie, or (none) a Slack receiver. */
  pagingTool: 'pagerduty' | 'opsgenie' | 'none';
}

export interface AlertingModel {
  owner: Owner;
  alerts: AlertModel[];
  /**
   * The Alertmanager configuration object (also deployed through the Prometheus chart). A getter
   * where monitoring builds it: it reads `routing`, which incident sets later.
   */
  readonly alertmanagerConfig: Obj;
  /** Secrets the Alertmanager config reads from files, by Secret name (late like the config). */
  readonly alertmanagerSecrets: string[];
  /** Incident severity routing, when the incident practice is on. */
  routing?: AlertRouting;
}

// ---------------------------------------------------------------------------------------
// Infrastructure (IaC): what it provisions and exports.

/** An identity CI assumes through OIDC (no stored keys), and what its trust policy admits. */
export interface CiIdentity {
  purpose: 'image-push' | 'preview-push' | 'terraform-plan' | 'terraform-apply';
  /** Role name (the ARN is deterministic: arn:aws:iam::<account>:role/<name>). */
  name: string;
  arn: string;
  /** The environment (account) it lives in. */
  environment: string;
  /**
   * OIDC subjects the trust policy admits, without the issuer's prefix (`CiOidcIssuer.subjectPrefix`).
   * GitHub: `ref:refs/heads/main`, `environment:production`, `pull_request`, exact matches only.
   * GitLab: `ref_type:branch:ref:main`, or `ref_type:branch:ref:*` (any branch of this project:
   * merge request pipelines carry their source branch), the only pattern allowed.
   */
  subjects: string[];
}

/** The OIDC issuer CI's identities trust: the CI provider's. */
export interface CiOidcIssuer {
  provider: 'github' | 'gitlab';
  /** Issuer URL: https://token.actions.githubusercontent.com, or the GitLab instance (ci.gitlab.url). */
  url: string;
  /** The `aud` every trust policy requires. */
  audience: string;
  /** What every `sub` starts with: `repo:<owner>/<repo>:` (GitHub) or `project_path:<group>/<project>:` (GitLab). */
  subjectPrefix: string;
}

/** One database the IaC creates for a service. */
export interface InfraDatabase {
  service: string;
  engine: 'postgres';
  /** Instance identifier, `<project>-<env>-<service>`. */
  identifier: string;
  /** IAM role the service's pods get through EKS Pod Identity (reads the database's secret). */
  podRole: string;
  namespace: string;
  serviceAccount: string;
}

export interface InfraEnvironment {
  name: 'staging' | 'production';
  accountId: string;
  region: string;
  /** Repo-relative root folder of this environment. */
  root: string;
  /** Remote state: one bucket per account, one key per environment, a lock file beside it. */
  state: { bucket: string; key: string; region: string; kmsAlias: string };
  network: { cidr: string; azCount: number; natGateways: 'per-az' | 'single' };
  cluster: {
    name: string;
    version: string;
    instanceTypes: string[];
    nodes: { min: number; max: number; desired: number };
    publicAccessCidrs: string[];
    /** Writes a kubeconfig entry for the cluster (the endpoint is only known after apply). */
    kubeconfigCommand: string;
  };
  databases: InfraDatabase[];
  database: { instanceClass: string; allocatedStorage: number; maxAllocatedStorage: number; multiAz: boolean; backupRetentionDays: number };
  /** Tags on every resource of the environment. */
  tags: Record<string, string>;
}

/**
 * What infrastructure as code provisions and exports (contributed by iac): the environments
 * (network, cluster, databases, state), the container registry repositories and the
 * identities CI assumes. ci reads the registry and push roles (through `registry`), gitops
 * names the cluster to bootstrap.
 */
export interface InfraModel {
  owner: Owner;
  tool: 'terraform';
  cloud: 'aws';
  toolVersion: string;
  /** The IaC folder, `infra`. */
  dir: string;
  project: string;
  repository: string;
  defaultBranch: string;
  /** Environments in apply order. */
  environments: InfraEnvironment[];
  /** Registry repositories, when IaC provisions the registry (ECR in the production account). */
  registry?: {
    environment: string;
    accountId: string;
    region: string;
    host: string;
    /** `preview`: a repository for pull/merge request images, which only the preview push role may write. */
    repositories: { service: string; name: string; url: string; preview?: boolean }[];
    /** Accounts (other environments) allowed to pull. */
    pullAccounts: string[];
  };
  /** Every identity CI assumes, by purpose. */
  identities: CiIdentity[];
  /** Whose OIDC tokens the identities trust (the CI provider's issuer). */
  ciIssuer: CiOidcIssuer;
}

// ---------------------------------------------------------------------------------------
// Files and docs.

/**
 * A file a practice writes as is (a seeded Dockerfile, a collector config): the template and
 * its data (or a thunk computing it at emit time).
 */
export interface FileContribution {
  owner: Owner;
  path: string;
  template: string;
  data: Obj | Lazy<Obj>;
  ownership: Ownership;
  executable?: boolean;
  /** A seeded file `check` reports when it is missing (an alert's runbook). */
  required?: boolean;
  /**
   * Seeded only together with this file: written when devops-init creates that file in the
   * same plan (or created it before), never beside a file the team owns (a `.dockerignore`
   * beside the team's own Dockerfile would change that build).
   */
  companionOf?: string;
  /** The one service whose spec (with the settings outside `services:`) the file reads (FileSpec.service). */
  service?: string;
  /** What else of devops.yaml the file reads, as data paths (FileSpec.alsoReads). */
  alsoReads?: string[];
}

/** Things the setup cannot do by itself with this spec, said after sync. */
export interface Warning {
  owner: Owner;
  text: string;
  /**
   * Said only when this generated path is skipped because the repository already has its own
   * file there (e.g. the team's `.gitlab-ci.yml`, which must include the generated pipeline).
   */
  ifSkipped?: string;
  /** With `ifSkipped`: not said once the team's file contains this text (the include line is there). */
  unlessContains?: string;
}

/** The handbook's account of an enabled practice (filled before contributions; docs read it). */
export interface PracticeSummary {
  id: PracticeId;
  title: string;
  summary: string;
  why: string;
}

export interface Model {
  readonly spec: Spec;
  readonly practices: readonly PracticeId[];
  /** Enabled practices in listing order, with their handbook text (the repo's own handbook page). */
  handbooks?: PracticeSummary[];
  source: SourceModel;
  services: ServiceModel[];
  /**
   * The registry images are pushed to and how CI logs in: set by iac when it provisions the
   * registry (ECR and its push roles), else by ci from devops.yaml.
   */
  registry?: RegistryLogin;
  /** What infrastructure as code provisions and exports (set by iac). */
  infra?: InfraModel;
  pipelines: Pipeline[];
  dependencyUpdates?: DependencyUpdates;
  workloads: WorkloadModel[];
  manifests: ManifestDir[];
  previews?: PreviewsModel;
  /** The namespace of each environment, when gitops deploys them. */
  namespaces?: EnvironmentNamespaces;
  argocd?: ArgoModel;
  telemetry?: TelemetryModel;
  logs?: LogsModel;
  alerting?: AlertingModel;
  files: FileContribution[];
  warnings: Warning[];
  /**
   * Managed paths earlier devops-init versions generated for this spec and this one no longer
   * does (an output shape changed): `sync` may delete them when the lock lists them with their
   * exact content, like any orphan it generated (src/lock/snapshot.ts).
   */
  retiredPaths?: string[];
  /**
   * Where a retired path's content went, by path (said when sync leaves an edited one in place,
   * so the edit can be carried over): e.g. an overlay patch now inline in the kustomization.
   */
  retiredHints?: Record<string, string>;
}
