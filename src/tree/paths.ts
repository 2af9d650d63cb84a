import { isAbsolute } from 'node:path';

/**
 * Names Windows reserves for devices, with or without an extension: a file or folder named
 * `con`, `nul.yml` or `LPT1` cannot be checked out there.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** `.git` as any file system may spell it: any case, trailing dots or spaces (Windows drops them), the 8.3 short name. */
const GIT_DIR = /^(\.git[. ]*|git~\d+)$/i;

/** Why one path segment is unsafe, or undefined. */
export function unsafeSegmentReason(segment: string): string | undefined {
  if (GIT_DIR.test(segment)) return 'is inside .git';
  if (WINDOWS_DEVICE.test(segment)) return `uses "${segment}", a name Windows reserves for a device (a checkout there would fail)`;
  if (Buffer.byteLength(segment) > 255) return 'has a name longer than 255 bytes';
  return undefined;
}

/**
 * Why a repo-relative path is unsafe to write, or undefined when it is safe:
 * no absolute paths, no `..` segments, no backslashes or NULs, nothing inside a `.git`
 * folder at any depth or in any spelling, no Windows device names, normal form only.
 */
export function unsafePathReason(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.includes('\\')) return 'contains a backslash';
  if (isAbsolute(p) || p.startsWith('/')) return 'is absolute';
  if (/[\r\n]/.test(p)) return 'contains a line break';
  const parts = p.split('/');
  if (parts.some((s) => s === '..')) return 'climbs out of the repository with ".."';
  // Normal form (what posix.normalize would leave unchanged, without its cost on a
  // 300-service lock): no empty segment (`a//b`, a trailing `/`) and no `.` segment.
  if (parts.some((s) => s === '' || s === '.')) return 'is not in normal form';
  for (const s of parts) {
    const why = unsafeSegmentReason(s);
    if (why) return why;
  }
  if (Buffer.byteLength(p) > 4096) return 'is longer than 4096 bytes';
  return undefined;
}

/** Join a service folder and a file name into a normal repo-relative path. */
export function repoPath(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : `${dir}/${file}`;
}
