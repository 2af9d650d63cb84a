import { parse } from 'yaml';
import type { Spec } from '../../../src/spec/types.js';
import { renderMonitoring } from './render.js';

export type Rule = { record?: string; alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** Every rule of every generated PrometheusRule (the only copy of the rules). */
export function rulesOfSpec(spec: Spec): Rule[] {
  return Object.entries(renderMonitoring(spec))
    .filter(([p]) => p.startsWith('monitoring/kubernetes/') && p.endsWith('prometheusrule.yaml'))
    .flatMap(([, t]) => (parse(t) as { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules));
}
