import type { ProjectIdentity } from './config.js';
import { DEFAULT_HEALTH_PATH, DEFAULT_PACKAGE_MANAGERS, DEFAULT_PORTS, DEFAULT_VERSIONS, defaultInstall } from './defaults.js';
import { PRACTICE_CONFIGS } from './sections.js';
import type { PackageManager, PracticeId, Service, Spec } from './types.js';

type Raw = Record<string, any>;

/** Deep-merge `over` onto `base`: objects merge, arrays and scalars replace. */
function merge<T>(base: T, over: unknown): T {
  if (over === undefined || over === null) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || Array.isArray(over)) {
    return over as T;
  }
  const out: Raw = { ...(base as Raw) };
  for (const [k, v] of Object.entries(over as Raw)) out[k] = merge(out[k], v);
  return out as T;
}

/** Fill one service's defaults: core fields from its language, practice-owned keys from their configs. */
export function normalizeService(raw: Raw): Service {
  const language = raw['language'] as Service['language'];
  const pm = (raw['packageManager'] ?? DEFAULT_PACKAGE_MANAGERS[language]) as PackageManager;
  const path = raw['path'] as string;
  const kind = (raw['kind'] ?? 'web') as Service['kind'];
  const healthPath = raw['healthPath'] ?? DEFAULT_HEALTH_PATH;
  const svc: Raw = {
    name: raw['name'],
    path,
    kind,
    language,
    version: String(raw['version'] ?? DEFAULT_VERSIONS[language]),
    packageManager: pm,
    port: raw['port'] ?? DEFAULT_PORTS[language],
    healthPath,
    probes: raw['probes'] ?? defaultProbes(kind, healthPath),
    commands: { install: defaultInstall(pm), ...(raw['commands'] ?? {}) },
    dockerfile: raw['dockerfile'] ?? (path === '.' ? 'Dockerfile' : `${path}/Dockerfile`),
  };
  for (const c of PRACTICE_CONFIGS) {
    if (!c.service) continue;
    const defaults = c.service.defaults(raw);
    for (const key of Object.keys(c.service.schema)) {
      const value = key in defaults ? merge(defaults[key], raw[key]) : raw[key];
      if (value !== undefined) svc[key] = value;
    }
  }
  for (const key of ['workspaceRoot', 'start', 'buildContext', 'schedule', 'requiredEnv', 'testServices'] as const) {
    if (raw[key] !== undefined) svc[key] = raw[key];
  }
  return svc as Service;
}

/** Probes that fit the kind: HTTP on the health path for web, gRPC health for grpc, none for processes without a port. */
function defaultProbes(kind: Service['kind'], healthPath: string): Service['probes'] {
  if (kind === 'web') return { type: 'http', path: healthPath };
  if (kind === 'grpc') return { type: 'grpc' };
  return { type: 'none' };
}

/** Who the project is, as the practices' defaults see it. */
function identity(raw: Raw): ProjectIdentity {
  const project = raw['project'] as Raw;
  return {
    name: project['name'],
    repository: project['repository'],
    defaultBranch: project['defaultBranch'] ?? 'main',
    forge: raw['ci']?.['provider'] === 'gitlab' ? 'gitlab' : 'github',
  };
}

/**
 * The spec every practice renders from: devops.yaml (already schema-valid) with every
 * default filled in. Pure; the same input always gives the same output.
 */
export function normalizeSpec(raw: Raw): Spec {
  const who = identity(raw);
  const base: Raw = {
    version: 1,
    project: { name: who.name, repository: who.repository, defaultBranch: 'main' },
    practices: [],
  };
  for (const c of PRACTICE_CONFIGS) if (c.section) base[c.section.key] = c.section.defaults(who);
  const { services, ...rest } = raw;
  const spec = merge(base, rest) as Spec;
  spec.practices = [...((raw['practices'] as PracticeId[] | undefined) ?? [])];
  // One spelling of every folder: `deploy/` and `deploy` are the same GitOps folder.
  spec.gitops = { ...spec.gitops, dir: spec.gitops.dir.replace(/\/+$/, '') };
  // Deprecated `ci.runner` is read as `ci.github.runner`.
  if (raw['ci']?.['runner'] !== undefined && raw['ci']?.['github']?.['runner'] === undefined) spec.ci = { ...spec.ci, github: { ...spec.ci.github, runner: raw['ci']['runner'] } };
  spec.services = ((services as Raw[] | undefined) ?? []).map(normalizeService);
  return spec;
}
