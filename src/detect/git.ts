/** Repository identity from the .git folder, read as files (git is never run). */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RepoFs } from './fsread.js';

/**
 * "owner/repo" from a remote URL: https://github.com/acme/shop(.git), git@github.com:acme/shop.git,
 * ssh://git@github.com:22/acme/shop.git. Credentials in the URL are never kept.
 */
export function parseRemoteUrl(url: string): { host: string; repository: string; path: string } | undefined {
  const u = url.trim();
  let host: string | undefined;
  let path: string | undefined;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(u);
  const full = /^(?:https?|ssh|git|git\+ssh):\/\/(?:[^@/\s]+@)?([^/:\s]+)(?::\d+)?\/(.+)$/.exec(u);
  if (full) [, host, path] = full;
  else if (scp) [, host, path] = scp;
  if (!host || !path) return undefined;
  const segments = path.replace(/\/+$/, '').replace(/\.git$/, '').split('/').filter(Boolean);
  if (segments.length < 2) return undefined;
  const owner = segments[segments.length - 2]!;
  const repo = segments[segments.length - 1]!;
  const ok = /^[A-Za-z0-9_.-]+$/;
  if (!ok.test(owner) || !ok.test(repo) || repo === '.' || repo === '..' || owner === '..') return undefined;
  return { host: host.toLowerCase(), repository: `${owner}/${repo}`, path: segments.every((x) => ok.test(x) && x !== '..') ? segments.join('/') : `${owner}/${repo}` };
}

/** The url of [remote "origin"] in a git config file. */
export function originUrl(config: string): string | undefined {
  let inOrigin = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inOrigin = /^\[\s*remote\s+"origin"\s*\]/.test(line);
      continue;
    }
    if (!inOrigin) continue;
    const m = /^url\s*=\s*(.+?)\s*$/.exec(line);
    if (m) return m[1]!.replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export interface GitFacts {
  repository?: string;
  remote?: { host: string; path: string };
  defaultBranch?: string;
  notes: string[];
}

/** Reads .git/config, .git/HEAD and refs/remotes/origin/HEAD; follows a `.git` file (worktrees). */
export function readGit(fs: RepoFs): GitFacts {
  const facts: GitFacts = { notes: [] };
  const gitDir = locateGitDir(fs);
  if (!gitDir) return facts;
  const commonDir = readSmall(join(gitDir, 'commondir'));
  const common = commonDir ? resolveFrom(gitDir, commonDir.trim()) : gitDir;

  const config = readSmall(join(common, 'config'));
  const url = config ? originUrl(config) : undefined;
  if (url) {
    const parsed = parseRemoteUrl(url);
    if (parsed) {
      facts.repository = parsed.repository;
      facts.remote = { host: parsed.host, path: parsed.path };
      if (parsed.host !== 'github.com') facts.notes.push(`origin remote is on ${parsed.host}, not github.com`);
    } else {
      facts.notes.push('could not read owner/repo from the origin remote URL');
    }
  }

  // origin/HEAD names the remote's default branch; HEAD is only the branch checked out now.
  const originHead = symbolicRef(readSmall(join(common, 'refs', 'remotes', 'origin', 'HEAD')), 'refs/remotes/origin/');
  const head = symbolicRef(readSmall(join(gitDir, 'HEAD')), 'refs/heads/');
  facts.defaultBranch = originHead ?? head;
  return facts;
}

function locateGitDir(fs: RepoFs): string | undefined {
  const dotGit = join(fs.root, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return dotGit;
    if (st.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readSmall(dotGit) ?? '');
      if (m) return resolveFrom(fs.root, m[1]!.trim());
    }
  } catch {
    // not a git repository
  }
  return undefined;
}

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function symbolicRef(text: string | undefined, prefix: string): string | undefined {
  const m = /^ref:\s*(\S+)/.exec(text ?? '');
  if (!m || !m[1]!.startsWith(prefix)) return undefined;
  const branch = m[1]!.slice(prefix.length);
  return /^[A-Za-z0-9._/-]+$/.test(branch) ? branch : undefined;
}

/** Git metadata files are tiny; 64 KiB is plenty and keeps a hostile file from costing anything. */
function readSmall(abs: string): string | undefined {
  try {
    const st = statSync(abs);
    if (!st.isFile() || st.size > 64 * 1024) return undefined;
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}
