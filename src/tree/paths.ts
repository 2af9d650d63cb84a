import { isAbsolute, posix } from 'node:path';

/**
 * Why a repo-relative path is unsafe to write, or undefined when it is safe:
 * no absolute paths, no `..` segments, no backslashes or NULs, no `.git/`.
 */
export function unsafePathReason(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.includes('\\')) return 'contains a backslash';
  if (isAbsolute(p) || p.startsWith('/')) return 'is absolute';
  if (/[\r\n]/.test(p)) return 'contains a line break';
  const parts = p.split('/');
  if (parts.some((s) => s === '..')) return 'climbs out of the repository with ".."';
  if (parts[0] === '.git') return 'is inside .git';
  if (posix.normalize(p) !== p && !(p === '.' )) return 'is not in normal form';
  return undefined;
}

/** Join a service folder and a file name into a normal repo-relative path. */
export function repoPath(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : `${dir}/${file}`;
}
