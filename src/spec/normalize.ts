import {
  DEFAULT_PORTS,
  DEFAULT_VERSIONS,
  defaultDeploy,
  defaultInstall,
  defaultMetrics,
  defaultSlos,
  defaultSpec,
} from './defaults.js';
import type { PackageManager, PracticeId, Service, Spec } from './types.js';

type Raw = Record<string, any>;

const DEFAULT_PM = { node: 'npm', python: 'pip', go: 'go', java: 'maven' } as const;

/** Deep-merge `over` onto `base`: objects merge, arrays and scalars replace. */
function merge<T>(base: T, over: unknown): T {
  if (over === undefined || over === null) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || Array.isArray(over)) {
    return over as T;
  }
  const out: Raw = { ...(base as Raw) };
  // defineProperty, not `out[k] =`: a key named __proto__ stays a key (never a prototype).
  for (const [k, v] of Object.entries(over as Raw)) Object.defineProperty(out, k, { value: merge(Object.hasOwn(out, k) ? out[k] : undefined, v), enumerable: true, writable: true, configurable: true });
  return out as T;
}

/** Fill one service's defaults from its language. */
export function normalizeService(raw: Raw): Service {
  const language = raw['language'] as Service['language'];
  const pm = (raw['packageManager'] ?? DEFAULT_PM[language]) as PackageManager;
  const path = raw['path'] as string;
  const svc: Service = {
    name: raw['name'],
    path,
    language,
    version: String(raw['version'] ?? DEFAULT_VERSIONS[language]),
    packageManager: pm,
    port: raw['port'] ?? DEFAULT_PORTS[language],
    healthPath: raw['healthPath'] ?? '/healthz',
    commands: { install: defaultInstall(pm), ...(raw['commands'] ?? {}) },
    dockerfile: raw['dockerfile'] ?? (path === '.' ? 'Dockerfile' : `${path}/Dockerfile`),
    deploy: merge(defaultDeploy(), raw['deploy']),
    slos: raw['slos'] ?? defaultSlos(),
    metrics: merge(defaultMetrics(), raw['metrics']),
  };
  if (raw['team'] !== undefined) svc.team = raw['team'];
  if (raw['workspaceRoot'] !== undefined) svc.workspaceRoot = raw['workspaceRoot'];
  if (raw['start'] !== undefined) svc.start = raw['start'];
  return svc;
}

/**
 * The spec every practice renders from: devops.yaml (already schema-valid) with every
 * default filled in. Pure; the same input always gives the same output.
 */
export function normalizeSpec(raw: Raw): Spec {
  const project = raw['project'] as Raw;
  const base = defaultSpec(project['name'], project['repository']);
  const { services, ...rest } = raw;
  const spec = merge(base, rest) as Spec;
  spec.practices = [...((raw['practices'] as PracticeId[] | undefined) ?? [])];
  // One spelling of every folder: `deploy/` and `deploy` are the same GitOps folder.
  spec.gitops = { ...spec.gitops, dir: spec.gitops.dir.replace(/\/+$/, '') };
  spec.services = ((services as Raw[] | undefined) ?? []).map(normalizeService);
  return spec;
}
