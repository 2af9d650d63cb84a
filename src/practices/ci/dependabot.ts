import type { PackageManager, Service, Spec } from '../../spec/types.js';
import { isWorkspaceMember } from './workflow.js';

/** Dependabot's package-ecosystem for each package manager (npm covers pnpm and yarn too). */
const ECOSYSTEM: Record<PackageManager, string> = {
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
};

/** Dependabot directories are absolute from the repository root. */
function dir(path: string): string {
  return path === '.' ? '/' : `/${path}`;
}

function folderOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

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
export function dependabotConfig(spec: Spec): { version: 2; updates: Update[] } {
  const seen = new Set<string>();
  const updates: Update[] = [];
  const add = (ecosystem: string, path: string) => {
    const key = `${ecosystem} ${dir(path)}`;
    if (seen.has(key)) return;
    seen.add(key);
    updates.push(entry(ecosystem, dir(path)));
  };
  for (const svc of spec.services) {
    // A workspace has one lockfile at its root: one npm entry there covers every member.
    add(ECOSYSTEM[svc.packageManager], isWorkspaceMember(svc) ? svc.workspaceRoot! : svc.path);
  }
  for (const svc of spec.services as Service[]) add('docker', folderOf(svc.dockerfile));
  add('github-actions', '.');
  return { version: 2, updates };
}
