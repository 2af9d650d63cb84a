import { parse } from 'yaml';
import type { Spec } from '../../../src/spec/types.js';
import { renderMonitoring } from './render.js';

export type Rule = { record?: string; alert?: string; expr: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** Every rule of every generated rules file. */
export function rulesOfSpec(spec: Spec): Rule[] {
  return Object.entries(renderMonitoring(spec))
    .filter(([p]) => p.startsWith('monitoring/rules/'))
    .flatMap(([, t]) => (parse(t) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules));
}
