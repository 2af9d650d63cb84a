import type { SchemaIssue } from './validate-schema.js';
import type { Spec } from './types.js';
import { PRACTICE_REQUIRES } from './practice-deps.js';
import { sloProblems } from '../practices/monitoring/validate.js';
import { pathIssues } from './paths-check.js';

/**
 * Rules a JSON Schema cannot say: unique names and paths, registry settings for the
 * chosen registry, practice dependencies, GitHub expressions in commands.
 */
export function semanticIssues(spec: Spec, raw: Record<string, unknown>): SchemaIssue[] {
  // Paths first: a path that cannot be written makes the other rules moot.
  const paths = pathIssues(spec, raw);
  if (paths.length) return paths;
  const issues: SchemaIssue[] = [];
  const names = new Map<string, number>();
  spec.services.forEach((s, i) => {
    const prev = names.get(s.name);
    if (prev !== undefined) issues.push({ path: ['services', i, 'name'], message: `service name "${s.name}" is used twice (also services[${prev}])`, fix: 'give each service a unique name' });
    names.set(s.name, i);
    for (const [k, cmd] of Object.entries(s.commands)) {
      if (typeof cmd === 'string' && cmd.includes('${{')) {
        issues.push({ path: ['services', i, 'commands', k], message: 'commands must not contain GitHub expressions (${{ … }})', fix: 'GitHub would evaluate them inside run: (script injection); use an environment variable instead' });
      }
    }
    for (const env of ['staging', 'production'] as const) {
      const r = s.deploy.replicas[env];
      if (r.min > r.max) issues.push({ path: ['services', i, 'deploy', 'replicas', env], message: `replicas.${env}.min (${r.min}) is above max (${r.max})`, fix: 'make min ≤ max' });
    }
  });
  const need: Record<string, 'aws' | 'gcp' | 'azure'> = { ecr: 'aws', gar: 'gcp', acr: 'azure' };
  const section = need[spec.ci.registry];
  if (section && !spec.ci[section]) {
    issues.push({ path: ['ci', 'registry'], message: `registry ${spec.ci.registry} needs ci.${section} settings`, fix: `add ci.${section} (see the README spec reference) or use registry: ghcr` });
  }
  spec.practices.forEach((p, i) => {
    for (const dep of PRACTICE_REQUIRES[p] ?? []) {
      if (!spec.practices.includes(dep)) issues.push({ path: ['practices', i], message: `practice "${p}" needs "${dep}"`, fix: `add ${dep} to practices (devops-init add ${dep})` });
    }
  });
  issues.push(...sloProblems(spec));
  return issues;
}
