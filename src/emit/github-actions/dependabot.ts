import type { DependencyUpdates } from '../../model/types.js';

/** Dependabot's package-ecosystem per package manager (npm covers pnpm and yarn too). */
const ECOSYSTEM: Record<DependencyUpdates['entries'][number]['manager'], string> = {
  npm: 'npm',
  pnpm: 'npm',
  yarn: 'npm',
  bun: 'bun',
  uv: 'uv',
  poetry: 'pip',
  pip: 'pip',
  go: 'gomod',
  maven: 'maven',
  gradle: 'gradle',
  cargo: 'cargo',
  nuget: 'nuget',
  bundler: 'bundler',
  composer: 'composer',
  mix: 'mix',
  make: '',
  none: '',
  docker: 'docker',
  ci: 'github-actions',
};

interface Update {
  'package-ecosystem': string;
  directory: string;
  schedule: { interval: 'weekly' };
  groups: Record<string, { patterns: string[]; 'update-types': string[] }>;
  cooldown: { 'default-days': number };
  'open-pull-requests-limit': number;
}

function entry(ecosystem: string, directory: string): Update {
  return {
    'package-ecosystem': ecosystem,
    directory,
    schedule: { interval: 'weekly' },
    groups: { 'minor-and-patch': { patterns: ['*'], 'update-types': ['minor', 'patch'] } },
    // default-days only: semver-specific cooldowns are rejected for some ecosystems (github-actions).
    cooldown: { 'default-days': 7 },
    'open-pull-requests-limit': 5,
  };
}

/** The `.github/dependabot.yml` object: one entry per ecosystem and folder, deduplicated. */
export function dependabotConfig(updates: DependencyUpdates): { version: 2; updates: Update[] } {
  const seen = new Set<string>();
  const out: Update[] = [];
  for (const { manager, dir } of updates.entries) {
    // Dependabot directories are absolute from the repository root.
    const directory = dir === '.' ? '/' : `/${dir}`;
    const ecosystem = ECOSYSTEM[manager];
    // Make and Dockerfile-only services have no package ecosystem (their base image is still watched).
    if (!ecosystem) continue;
    const key = `${ecosystem} ${directory}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry(ecosystem, directory));
  }
  return { version: 2, updates: out };
}
