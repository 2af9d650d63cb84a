/** Human-readable lines about what detection found, for `init --dry-run`. */
import type { RepoFacts } from './types.js';

const LANGUAGE_LABEL = { node: 'Node', python: 'Python', go: 'Go', java: 'Java' } as const;
const SOURCE_LABEL: Record<string, string> = { go: 'go.mod', maven: 'Maven', gradle: 'Gradle' };

const MONOREPO_LABEL = {
  'npm-workspaces': 'npm workspaces',
  'pnpm-workspaces': 'pnpm workspaces',
  'yarn-workspaces': 'yarn workspaces',
  'go-work': 'Go workspace (go.work)',
  folders: 'one folder per service',
} as const;

export function describeFacts(facts: RepoFacts): string[] {
  const lines: string[] = [];
  const where = [facts.repository, facts.defaultBranch && `default branch ${facts.defaultBranch}`].filter(Boolean);
  lines.push(`project: ${facts.projectName}${where.length ? ` (${where.join(', ')})` : ''}`);
  if (facts.monorepo) lines.push(`layout: ${MONOREPO_LABEL[facts.monorepo]}`);
  if (facts.services.length === 0) lines.push('services: none found');
  for (const s of facts.services) {
    const runtime = `${LANGUAGE_LABEL[s.language]} ${s.version ?? '(version unknown)'}`;
    const parts = [
      `${runtime} (${SOURCE_LABEL[s.packageManager] ?? s.packageManager})`,
      s.commands.test ?? 'no test command',
      s.port ? `port ${s.port}` : undefined,
      s.start ? `runs \`${s.start}\`` : undefined,
      s.dockerfile ? 'existing Dockerfile' : 'no Dockerfile yet',
    ].filter(Boolean);
    const label = s.path === '.' ? `${s.name} (repository root)` : s.name === lastSegment(s.path) ? s.path : `${s.path} [service ${s.name}]`;
    lines.push(`${label}: ${parts.join(', ')}`);
  }
  if (facts.existingWorkflows.length) lines.push(`existing workflows: ${facts.existingWorkflows.join(', ')}`);
  for (const n of facts.notes) lines.push(`note: ${n}`);
  return lines;
}

function lastSegment(path: string): string {
  return path.split('/').pop() ?? path;
}
