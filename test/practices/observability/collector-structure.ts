import { parse } from 'yaml';

/**
 * Structural checks for an OpenTelemetry Collector config. There is no offline
 * validator for collector configs (VALIDATORS.md), so this checks what `otelcol
 * validate` would reject or what breaks at run time: pipelines naming undefined
 * components, defined-but-unused components, processor order, extensions, and the
 * bind addresses services connect to. Returns one message per problem.
 */
export function collectorStructureProblems(text: string): string[] {
  const problems: string[] = [];
  let cfg: Record<string, any>;
  try {
    cfg = parse(text) as Record<string, any>;
  } catch (e) {
    return [`YAML does not parse: ${(e as Error).message}`];
  }
  if (!cfg || typeof cfg !== 'object') return ['config is not a mapping'];

  const kinds = ['receivers', 'processors', 'exporters', 'extensions'] as const;
  const defined: Record<(typeof kinds)[number], Set<string>> = {
    receivers: new Set(Object.keys(cfg['receivers'] ?? {})),
    processors: new Set(Object.keys(cfg['processors'] ?? {})),
    exporters: new Set(Object.keys(cfg['exporters'] ?? {})),
    extensions: new Set(Object.keys(cfg['extensions'] ?? {})),
  };
  const used: Record<(typeof kinds)[number], Set<string>> = {
    receivers: new Set(), processors: new Set(), exporters: new Set(), extensions: new Set(),
  };
  const type = (id: string) => id.split('/')[0]!;

  const pipelines = (cfg['service']?.['pipelines'] ?? {}) as Record<string, Record<string, string[]>>;
  if (Object.keys(pipelines).length === 0) problems.push('service.pipelines is empty');
  for (const [name, p] of Object.entries(pipelines)) {
    if (!['traces', 'metrics', 'logs', 'profiles'].includes(type(name))) problems.push(`pipeline ${name}: unknown signal`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const ids = p?.[kind] ?? [];
      if (kind !== 'processors' && ids.length === 0) problems.push(`pipeline ${name}: no ${kind}`);
      for (const id of ids) {
        used[kind].add(id);
        if (!defined[kind].has(id)) problems.push(`pipeline ${name}: ${kind.slice(0, -1)} ${id} is not defined`);
      }
    }
    const procs = (p?.['processors'] ?? []).map(type);
    if (procs.length > 0) {
      if (!procs[0]!.startsWith('memory_limiter')) problems.push(`pipeline ${name}: memory_limiter is not the first processor`);
      if (procs[procs.length - 1] !== 'batch') problems.push(`pipeline ${name}: batch is not the last processor`);
    } else {
      problems.push(`pipeline ${name}: no processors (memory_limiter and batch expected)`);
    }
  }

  for (const id of (cfg['service']?.['extensions'] ?? []) as string[]) {
    used.extensions.add(id);
    if (!defined.extensions.has(id)) problems.push(`service.extensions: ${id} is not defined`);
  }
  for (const kind of kinds) {
    for (const id of defined[kind]) if (!used[kind].has(id)) problems.push(`${kind.slice(0, -1)} ${id} is defined but not used`);
  }

  // Bind addresses: the Service forwards to the pod IP, so localhost would be unreachable.
  for (const [id, r] of Object.entries((cfg['receivers'] ?? {}) as Record<string, any>)) {
    if (type(id) !== 'otlp') continue;
    const grpc = r?.protocols?.grpc?.endpoint;
    const http = r?.protocols?.http?.endpoint;
    if (grpc !== '0.0.0.0:4317') problems.push(`receiver ${id}: grpc endpoint is ${grpc}, expected 0.0.0.0:4317`);
    if (http !== '0.0.0.0:4318') problems.push(`receiver ${id}: http endpoint is ${http}, expected 0.0.0.0:4318`);
  }
  for (const [id, e] of Object.entries((cfg['extensions'] ?? {}) as Record<string, any>)) {
    if (type(id) === 'health_check' && e?.endpoint !== '0.0.0.0:13133') {
      problems.push(`extension ${id}: endpoint is ${e?.endpoint}, expected 0.0.0.0:13133`);
    }
  }
  if (![...defined.extensions].some((id) => type(id) === 'health_check')) problems.push('no health_check extension');
  return problems;
}

/** Component types (the part before `/`) used anywhere in the config, by kind. */
export function componentTypes(text: string): { receivers: string[]; processors: string[]; exporters: string[]; extensions: string[] } {
  const cfg = parse(text) as Record<string, Record<string, unknown>>;
  const types = (k: string) => [...new Set(Object.keys(cfg[k] ?? {}).map((id) => id.split('/')[0]!))].sort();
  return { receivers: types('receivers'), processors: types('processors'), exporters: types('exporters'), extensions: types('extensions') };
}
