import type { ContainerService, DetectedService, ExistingDeployment, Probe, RepoFacts, ServiceEvidence } from '../detect/types.js';
import { startForPort } from '../detect/index.js';
import { DEFAULT_PACKAGE_MANAGERS, DEFAULT_PORTS } from '../spec/defaults.js';
import type { Language, PackageManager, PracticeId, ServiceKind, ServiceProbes } from '../spec/types.js';

/** Per-service answers from flags (`--port api=8080`, `--health-path /health`). */
export interface ServiceFlags {
  ports: Map<string, number>;
  health: Map<string, string>;
  /** Kinds answered at the prompt (interactive init asks about guessed kinds). */
  kinds: Map<string, ServiceKind>;
  /** Services whose probe is TCP by answer (no HTTP health path). */
  tcp: Set<string>;
}

/** The build tool detection names for a container service, as devops.yaml's package manager. */
const BUILD_TOOL_PM: Record<string, PackageManager> = {
  cargo: 'cargo', dotnet: 'nuget', mix: 'mix', bundler: 'bundler', composer: 'composer', gradle: 'gradle', maven: 'maven', make: 'make', cmake: 'make',
};

const servesPort = (kind: string) => kind === 'web' || kind === 'grpc';

/**
 * devops.yaml's probes for what detection found: omitted when they are the default for the
 * kind (HTTP on the health path for web, gRPC health for grpc, none otherwise).
 */
function probesOf(ev: ServiceEvidence, kind: ServiceKind, port: number | undefined, healthFlag: string | undefined, tcp: boolean): { healthPath?: string; probes?: ServiceProbes } {
  // Jobs run to completion: no probes. A worker has no service port: only a probe on a port of its own.
  if (kind === 'job' || kind === 'cronjob') return {};
  if (tcp) return servesPort(kind) ? { probes: { type: 'tcp' } } : {};
  const live: Probe | undefined = ev.liveness?.value;
  const ready: Probe | undefined = ev.readiness?.value;
  if (healthFlag !== undefined) return { healthPath: healthFlag };
  // Nothing known about health: a TCP probe (it proves the port is open), never a guessed /healthz.
  if (!live) return kind === 'web' ? { probes: { type: 'tcp' } } : {};
  if (!servesPort(kind)) {
    if (live.type === 'http') return { probes: { type: 'http', path: live.path, port: live.port } };
    return live.type === 'grpc' || live.type === 'tcp' ? { probes: { type: live.type, port: live.port } } : {};
  }
  const otherPort = (p: Probe) => ('port' in p && port !== undefined && p.port !== port ? { port: p.port } : {});
  if (live.type === 'http') {
    const readinessPath = ready?.type === 'http' && ready.path !== live.path ? ready.path : undefined;
    if (kind === 'web' && !readinessPath && Object.keys(otherPort(live)).length === 0) return { healthPath: live.path };
    return { probes: { type: 'http', path: live.path, ...(readinessPath ? { readinessPath } : {}), ...otherPort(live) } };
  }
  if (live.type === 'grpc') return kind === 'grpc' && Object.keys(otherPort(live)).length === 0 ? {} : { probes: { type: 'grpc', ...otherPort(live) } };
  if (live.type === 'tcp') return { probes: { type: 'tcp', ...otherPort(live) } };
  return servesPort(kind) ? { probes: { type: 'none' } } : {};
}

/** The devops.yaml entry of one deployable (any language). */
function serviceEntry(
  s: { name: string; path: string; language: Language; evidence: ServiceEvidence; dockerfile?: string },
  extra: { version?: string; packageManager: PackageManager; commands: Record<string, string | undefined>; start?: string; workspaceRoot?: string; detectedPort?: number },
  flags: ServiceFlags,
): Record<string, unknown> {
  const ev = s.evidence;
  const kind = flags.kinds.get(s.name) ?? ev.kind.value;
  const svc: Record<string, unknown> = { name: s.name, path: s.path };
  if (kind !== 'web') svc['kind'] = kind;
  svc['language'] = s.language;
  if (extra.version) svc['version'] = extra.version;
  svc['packageManager'] = extra.packageManager;
  let port: number | undefined;
  if (servesPort(kind)) {
    port = flags.ports.get(s.name) ?? extra.detectedPort ?? ev.port?.value ?? DEFAULT_PORTS[s.language];
    svc['port'] = port;
  }
  const probes = probesOf(ev, kind, port, flags.health.get(s.name), flags.tcp.has(s.name));
  if (probes.healthPath !== undefined) svc['healthPath'] = probes.healthPath;
  if (probes.probes) svc['probes'] = probes.probes;
  const commands: Record<string, string> = {};
  for (const [k, v] of Object.entries(extra.commands)) if (v !== undefined) commands[k] = v;
  const prebuild = ev.build?.prebuild?.value;
  if (prebuild) commands['prebuild'] = prebuild;
  svc['commands'] = commands;
  const dockerfile = s.dockerfile ?? ev.build?.dockerfile.value;
  if (dockerfile) svc['dockerfile'] = dockerfile;
  const context = ev.build?.context.value;
  const defaultContext = extra.workspaceRoot ?? s.path;
  if (context !== undefined && context !== defaultContext) svc['buildContext'] = context;
  // A detected server command names the port detection assumed; --port moves it along.
  if (extra.start && port !== undefined) svc['start'] = startForPort(extra.start, extra.detectedPort ?? DEFAULT_PORTS[s.language], port);
  if (extra.workspaceRoot !== undefined) svc['workspaceRoot'] = extra.workspaceRoot;
  if (kind === 'cronjob' && ev.schedule) svc['schedule'] = ev.schedule.value;
  if (ev.requiredEnv.length) svc['requiredEnv'] = ev.requiredEnv.map((e) => e.name);
  if (ev.testServices.length) {
    svc['testServices'] = ev.testServices.map((t) => ({ name: t.name, image: t.image, ...(t.port ? { port: t.port } : {}), ...(t.env && Object.keys(t.env).length ? { env: t.env } : {}) }));
  }
  return svc;
}

function fromDetected(s: DetectedService, flags: ServiceFlags): Record<string, unknown> {
  const extra = {
    packageManager: s.packageManager,
    commands: s.commands,
    ...(s.version ? { version: s.version } : {}),
    ...(s.start ? { start: s.start } : {}),
    ...(s.workspaceRoot !== undefined ? { workspaceRoot: s.workspaceRoot } : {}),
    ...(s.port !== undefined ? { detectedPort: s.port } : {}),
  };
  return serviceEntry({ ...s, ...(s.dockerfile ? { dockerfile: s.dockerfile } : {}) }, extra, flags);
}

function fromContainer(s: ContainerService, flags: ServiceFlags): Record<string, unknown> {
  const language = s.language as Language;
  const ev = s.evidence;
  const commands: Record<string, string | undefined> = { install: ev.commands.install?.value ?? '', lint: ev.commands.lint?.value, test: ev.commands.test?.value, build: ev.commands.build?.value };
  const packageManager = (s.buildTool ? BUILD_TOOL_PM[s.buildTool] : undefined) ?? DEFAULT_PACKAGE_MANAGERS[language];
  return serviceEntry({ ...s, language }, { packageManager, commands, ...(ev.version ? { version: ev.version.value } : {}) }, flags);
}

const STAGING = /^(staging|stage|stg)$/;
const PRODUCTION = /^(production|prod|prd)$/;
const lastSegment = (p: string) => p.split('/').pop()!;

/**
 * services[].manifests for a service whose Kubernetes configuration the repository already has:
 * a Helm chart, a Kustomize tree (its staging/production overlays when it has them, else its
 * base) or a folder of manifests, that deploys this service alone (a chart or tree shared by
 * several services is not split: those services get generated workloads and the report says so).
 */
export function adoptedManifests(deployments: ExistingDeployment[], service: string): Record<string, string> | undefined {
  // A chart or tree at the repository root is not adopted: devops-init's own files would sit inside it.
  const mine = deployments.filter((d) => d.path !== '.' && d.services.length === 1 && d.services[0] === service);
  const helm = mine.find((d) => d.kind === 'helm');
  if (helm) return { kind: 'helm', path: helm.path };
  const kust = mine.filter((d) => d.kind === 'kustomize');
  if (kust.length) {
    const staging = kust.find((d) => STAGING.test(lastSegment(d.path)));
    const production = kust.find((d) => PRODUCTION.test(lastSegment(d.path)));
    const base = kust.find((d) => lastSegment(d.path) === 'base') ?? [...kust].sort((a, b) => a.path.length - b.path.length)[0]!;
    const path = staging && production ? (base === staging || base === production ? staging.path : base.path) : base.path;
    return { kind: 'kustomize', path, ...(staging ? { staging: staging.path } : {}), ...(production ? { production: production.path } : {}) };
  }
  const plain = mine.find((d) => d.kind === 'manifests');
  return plain ? { kind: 'directory', path: plain.path } : undefined;
}

/**
 * devops.yaml data from what detection found, before any practice question: every deployable
 * (the four seeded languages and any other with its own Dockerfile), with the facts detection
 * has evidence for; the repository's conventions (Renovate, linters).
 */
export function specFromFacts(facts: RepoFacts, name: string, repository: string, practices: PracticeId[], flags: ServiceFlags): Record<string, unknown> {
  const services = [...facts.services.map((s) => ({ path: s.path, entry: fromDetected(s, flags) })), ...facts.containerServices.map((s) => ({ path: s.path, entry: fromContainer(s, flags) }))]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((s) => s.entry);
  const project: Record<string, unknown> = { name, repository, defaultBranch: facts.defaultBranch ?? 'main' };
  const linters = [...(facts.conventions.yamllint ? ['yamllint'] : []), ...(facts.conventions.markdownlint ? ['markdownlint'] : [])];
  if (linters.length) project['linters'] = linters;
  const raw: Record<string, unknown> = { version: 1, project, practices };
  if (facts.conventions.renovate) raw['ci'] = { dependencyUpdates: 'renovate' };
  // Respect the repository: Argo CD deploys the charts and trees it already has (gitops.dir
  // moves aside when theirs is the default deploy/ folder).
  let clash = false;
  for (const svc of services) {
    const m = adoptedManifests(facts.deployments, svc['name'] as string);
    if (!m) continue;
    svc['manifests'] = m;
    clash ||= [m['path'], m['staging'], m['production']].some((p) => p !== undefined && (p === 'deploy' || p.startsWith('deploy/')));
  }
  if (clash) raw['gitops'] = { dir: 'gitops' };
  raw['services'] = services;
  return raw;
}
