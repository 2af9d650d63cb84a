import type { Service } from '../spec/types.js';

/** `a/b` joined POSIX-style, where '.' (or '') is the repository root. */
export function joinPath(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : `${dir}/${file}`;
}

/** The folder part of a repo-relative file path ('.' for a file at the root). */
export function folderOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

/** A Node service inside an npm/pnpm/yarn workspace installs and builds from the workspace root. */
export function isWorkspaceMember(svc: Service): boolean {
  return svc.language === 'node' && svc.workspaceRoot !== undefined && svc.workspaceRoot !== svc.path;
}

/** The lockfile each Node package manager writes. */
export const NODE_LOCKFILES: Readonly<Record<string, string>> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' };

/** Folder holding a service's dependency manifests and lockfile: the workspace root for members. */
export function dependencyDir(svc: Service): string {
  return isWorkspaceMember(svc) ? svc.workspaceRoot! : svc.path;
}

/**
 * The folder `docker build` runs in: services[].buildContext when set (detection derives it from
 * the Dockerfile's COPY sources or compose), else the workspace root for members, else the
 * service folder.
 */
export function buildContext(svc: Service): string {
  if (svc.buildContext !== undefined) return svc.buildContext;
  return isWorkspaceMember(svc) ? svc.workspaceRoot! : svc.path;
}
