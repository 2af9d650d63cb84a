import { parse } from 'yaml';

/** Fields that must never become Loki labels: one stream per value. */
export const HIGH_CARDINALITY = ['trace_id', 'span_id', 'request_id', 'pod', 'user_id'];

/** `a=b, c=$d['e']` → [[a, b], [c, $d['e']]] (Fluent Bit's loki labels / structured_metadata syntax). */
export function parsePairs(value: unknown): [string, string][] {
  return String(value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      return i < 0 ? [p, ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    });
}

/**
 * Structural checks for a Fluent Bit YAML config (no offline validator exists, see
 * VALIDATORS.md): the YAML format's shape (`pipeline.inputs/filters/outputs` as lists of
 * `- name:` entries), routing (every filter and output matches an input tag), the
 * kubernetes filter running before the rename filters and the Loki output, and the
 * Loki output keeping ids out of labels. Returns one message per problem.
 */
export function fluentBitStructureProblems(text: string): string[] {
  const problems: string[] = [];
  let cfg: Record<string, any>;
  try {
    cfg = parse(text) as Record<string, any>;
  } catch (e) {
    return [`YAML does not parse: ${(e as Error).message}`];
  }
  const service = cfg?.['service'] ?? {};
  if (service['http_server'] !== true) problems.push('service.http_server is not on');
  if (service['health_check'] !== true) problems.push('service.health_check is not on');

  const pipeline = cfg?.['pipeline'] ?? {};
  const sections = ['inputs', 'filters', 'outputs'] as const;
  for (const s of sections) {
    if (!Array.isArray(pipeline[s]) || pipeline[s].length === 0) problems.push(`pipeline.${s} is not a non-empty list`);
    else pipeline[s].forEach((e: any, i: number) => {
      if (!e || typeof e['name'] !== 'string') problems.push(`pipeline.${s}[${i}] has no name`);
    });
  }
  if (problems.length > 0) return problems;

  const tags: string[] = pipeline.inputs.map((i: any) => String(i['tag'] ?? ''));
  const globMatches = (pattern: string, tag: string) => {
    const re = new RegExp('^' + pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(tag.replace(/\*/g, 'x'));
  };
  for (const s of ['filters', 'outputs'] as const) {
    pipeline[s].forEach((e: any) => {
      if (!tags.some((t) => globMatches(String(e['match'] ?? ''), t))) problems.push(`${s.slice(0, -1)} ${e['name']}: match ${e['match']} matches no input tag`);
    });
  }

  const tail = pipeline.inputs.find((i: any) => i['name'] === 'tail');
  if (!tail) problems.push('no tail input');
  else {
    if (tail['path'] !== '/var/log/containers/*.log') problems.push(`tail path is ${tail['path']}`);
    const parsers = String(tail['multiline.parser'] ?? '').split(',').map((p) => p.trim());
    if (!parsers.includes('cri') || !parsers.includes('docker')) problems.push('tail multiline.parser lacks docker or cri');
    if (!tail['db']) problems.push('tail has no offset db');
  }

  const filters: any[] = pipeline.filters;
  const k8s = filters.findIndex((f) => f['name'] === 'kubernetes');
  if (k8s < 0) problems.push('no kubernetes filter');
  else {
    if (filters[k8s]['merge_log'] !== true) problems.push('kubernetes filter: merge_log is not on');
    if (filters[k8s]['keep_log'] !== false) problems.push('kubernetes filter: keep_log is not off');
    filters.forEach((f, i) => {
      if (f['name'] !== 'kubernetes' && i < k8s) problems.push(`filter ${f['name']} runs before the kubernetes filter (fields are not lifted yet)`);
    });
  }

  const loki = pipeline.outputs.find((o: any) => o['name'] === 'loki');
  if (!loki) problems.push('no loki output');
  else {
    const labels = parsePairs(loki['labels']);
    if (labels.length === 0) problems.push('loki output has no labels');
    for (const [k, v] of labels) {
      for (const bad of HIGH_CARDINALITY) {
        if (k === bad || v.includes(bad)) problems.push(`loki label ${k}=${v} carries ${bad} (high cardinality: use structured_metadata)`);
      }
    }
    const meta = new Map(parsePairs(loki['structured_metadata']));
    for (const need of ['trace_id', 'span_id', 'request_id']) if (!meta.has(need)) problems.push(`structured_metadata lacks ${need}`);
    if (loki['line_format'] !== 'json') problems.push('loki line_format is not json');
    if (!String(loki['remove_keys'] ?? '').includes('kubernetes')) problems.push('loki remove_keys does not drop the kubernetes block');
  }
  return problems;
}
