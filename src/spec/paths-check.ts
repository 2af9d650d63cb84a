import { posix } from 'node:path';
import { unsafeSegmentReason } from '../tree/paths.js';
import type { Spec } from './types.js';
import type { SchemaIssue } from './validate-schema.js';

/**
 * Rules for the spec values that become paths (service folders, Dockerfiles, the GitOps
 * folder, workspace roots) and names (services), beyond the schema's patterns: one normal
 * spelling, never inside `.git` (any case), never a Windows device name, no segment over
 * 255 bytes, no Dockerfile over devops.yaml or devops-init's own files, and no two services
 * sharing a folder or a Dockerfile. Each problem is a user error with a position.
 */

/** The normal form of a repo-relative folder or file as written by hand ("./a//b/" → "a/b"). */
export function normalPath(p: string): string {
  const n = posix.normalize(p).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}

type Raw = Record<string, any>;

function own(o: unknown, k: string): unknown {
  return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? (o as Raw)[k] : undefined;
}

/** Problems with one path value; `root` says whether "." (the repository root) is allowed. */
function pathProblems(value: unknown, at: (string | number)[], what: string, opts: { root: boolean; trailingSlash?: boolean }): SchemaIssue[] {
  if (typeof value !== 'string') return [];
  const issues: SchemaIssue[] = [];
  const v = opts.trailingSlash ? value.replace(/\/+$/, '') || value : value;
  const normal = normalPath(v);
  if (normal !== v) {
    issues.push({ path: at, message: `${what} ${JSON.stringify(value)} is not written in its normal form`, fix: normal === '.' && !opts.root ? 'name a file inside the repository' : `write it as ${JSON.stringify(normal)}` });
    return issues;
  }
  if (v === '.' && !opts.root) {
    issues.push({ path: at, message: `${what} cannot be the repository root`, fix: 'name a file inside the repository' });
    return issues;
  }
  if (v === '.') return issues;
  for (const seg of v.split('/')) {
    const why = unsafeSegmentReason(seg);
    if (why) {
      issues.push({ path: at, message: `${what} ${JSON.stringify(value)} ${why}`, fix: why.includes('.git') ? 'choose a folder outside .git: git keeps its own data there' : why.includes('Windows') ? 'rename it so the repository can be checked out on Windows' : 'use shorter names (at most 255 bytes per folder or file name)' });
      return issues;
    }
  }
  if (Buffer.byteLength(v) > 1024) issues.push({ path: at, message: `${what} is longer than 1024 bytes`, fix: 'use a shorter path' });
  return issues;
}

/** Files a Dockerfile path may never name: the spec, devops-init's own folder, its core files. */
function reservedDockerfile(p: string): string | undefined {
  if (p === 'devops.yaml') return 'is devops.yaml itself';
  if (p === '.devops-init' || p.startsWith('.devops-init/')) return "is in .devops-init/, devops-init's own folder (the lock and template overrides)";
  if (p === '.gitattributes' || p === '.gitignore') return `is ${p}, which is not a Dockerfile`;
  return undefined;
}

export function pathIssues(spec: Spec, raw: Raw): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const rawServices = Array.isArray(own(raw, 'services')) ? (own(raw, 'services') as unknown[]) : [];
  const gitopsDir = own(own(raw, 'gitops'), 'dir');
  if (gitopsDir !== undefined) issues.push(...pathProblems(gitopsDir, ['gitops', 'dir'], 'gitops.dir', { root: false, trailingSlash: true }));

  const repo = own(own(raw, 'project'), 'repository');
  if (typeof repo === 'string' && repo.split('/').some((s) => s === '.' || s === '..')) {
    issues.push({ path: ['project', 'repository'], message: `repository ${JSON.stringify(repo)} is not a GitHub owner/repo`, fix: 'use the GitHub form owner/repo, e.g. acme/shop' });
  }

  const byPath = new Map<string, number>();
  const byDockerfile = new Map<string, number>();
  rawServices.forEach((rs, i) => {
    const name = own(rs, 'name');
    if (typeof name === 'string') {
      const why = unsafeSegmentReason(name);
      if (why) issues.push({ path: ['services', i, 'name'], message: `service name ${JSON.stringify(name)} ${why}`, fix: 'rename the service (it names folders and files)' });
    }
    const before = issues.length;
    issues.push(...pathProblems(own(rs, 'path'), ['services', i, 'path'], 'path', { root: true }));
    issues.push(...pathProblems(own(rs, 'dockerfile'), ['services', i, 'dockerfile'], 'dockerfile', { root: false }));
    issues.push(...pathProblems(own(rs, 'workspaceRoot'), ['services', i, 'workspaceRoot'], 'workspaceRoot', { root: true }));
    if (issues.length > before) return;
    const svc = spec.services[i];
    if (!svc) return;
    const prevPath = byPath.get(svc.path);
    if (prevPath !== undefined) {
      issues.push({ path: ['services', i, 'path'], message: `services[${i}] and services[${prevPath}] have the same path ${JSON.stringify(svc.path)} (listed twice)`, fix: 'give each service its own folder' });
    } else byPath.set(svc.path, i);
    const reserved = reservedDockerfile(svc.dockerfile);
    const at: (string | number)[] = own(rs, 'dockerfile') !== undefined ? ['services', i, 'dockerfile'] : ['services', i, 'path'];
    if (reserved) {
      issues.push({ path: at, message: `dockerfile ${JSON.stringify(svc.dockerfile)} ${reserved}`, fix: 'point it at the service\'s Dockerfile, e.g. services/api/Dockerfile' });
      return;
    }
    const prevDf = byDockerfile.get(svc.dockerfile);
    if (prevDf !== undefined) {
      issues.push({ path: at, message: `services[${i}] and services[${prevDf}] use the same dockerfile ${JSON.stringify(svc.dockerfile)} (listed twice)`, fix: 'give each service its own Dockerfile (its own folder, or dockerfile: <dir>/Dockerfile.<service>)' });
    } else byDockerfile.set(svc.dockerfile, i);
  });
  return issues;
}
