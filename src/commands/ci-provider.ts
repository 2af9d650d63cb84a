import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoFacts } from '../detect/types.js';

/** Where init thinks CI runs, and why (printed by `init --dry-run`). */
export interface DetectedCiProvider {
  provider: 'github' | 'gitlab';
  reason: string;
  /** A self-managed GitLab instance seen in the origin remote: its URL and a guessed registry host. */
  gitlab?: { url: string; registry: string };
}

/** gitlab.com, or a host named like one (gitlab.example.com, code.gitlab.acme.io). */
export function isGitlabHost(host: string): boolean {
  return host === 'gitlab.com' || /(^|\.)gitlab\./.test(host);
}

/**
 * The CI provider a repository uses: GitLab when it has a `.gitlab-ci.yml` (the team already
 * runs GitLab CI there) or its origin remote is on a GitLab host; GitHub otherwise. Reads one
 * path and the facts detection gathered; never spawns git.
 */
export function detectCiProvider(root: string, facts: Pick<RepoFacts, 'remote'>): DetectedCiProvider {
  const host = facts.remote?.host;
  const selfManaged = host !== undefined && host !== 'gitlab.com' && isGitlabHost(host)
    // GitLab's registry usually has its own host name; `registry.<host>` is the common
    // convention, not a certainty: init says so, and devops.yaml can correct it.
    ? { gitlab: { url: `https://${host}`, registry: `registry.${host}` } }
    : {};
  const file = join(root, '.gitlab-ci.yml');
  if (existsSync(file) && lstatSync(file).isFile()) {
    return { provider: 'gitlab', reason: '.gitlab-ci.yml exists → GitLab CI', ...selfManaged };
  }
  if (host !== undefined && isGitlabHost(host)) return { provider: 'gitlab', reason: `origin remote is on ${host} → GitLab CI`, ...selfManaged };
  return { provider: 'github', reason: host ? `origin remote is on ${host} → GitHub Actions` : 'no GitLab signs → GitHub Actions (the default)' };
}
