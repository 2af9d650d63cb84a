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
 * The common case in one pass of the regex engine (a 300-service lock has 5,000 paths, checked
 * on every command while the code is still cold): names of ASCII letters, digits, `_`, `-`
 * and `.`, none of them empty, `.` or `..`, none over 255 characters, the whole at most 4096.
 * Such a path is safe unless a segment is a `.git` or Windows device name (SPECIAL_SEGMENT).
 */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))[A-Za-z0-9_.-]{1,255}(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.-]{1,255})*$/;
const SPECIAL_SEGMENT = /(?:^|\/)(?:\.git\.*|git~\d+|(?:con|prn|aux|nul|com\d|lpt\d)(?:\.[^/]*)?)(?:\/|$)/i;

/** True only for paths unsafePathReason finds safe (test/engine/paths.test.ts checks it against the full rules). */
export function plainSafePath(p: string): boolean {
  return p.length <= 4096 && PLAIN_PATH.test(p) && !SPECIAL_SEGMENT.test(p);
}

/** Segments already found safe: a 300-service lock repeats `deploy`, `base`, `kustomization.yaml`… thousands of times. */
const SAFE_SEGMENTS = new Set<string>();

/**
 * Why a repo-relative path is unsafe to write, or undefined when it is safe:
 * no absolute paths, no `..` segments, no backslashes or NULs, nothing inside a `.git`
 * folder at any depth or in any spelling, no Windows device names, normal form only.
 */
export function unsafePathReason(p: string): string | undefined {
  if (plainSafePath(p)) return undefined;
  return fullUnsafePathReason(p);
}

/** unsafePathReason without the fast path (exported for the test that proves the fast path). */
export function fullUnsafePathReason(p: string): string | undefined {
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
    if (SAFE_SEGMENTS.has(s)) continue;
    const why = unsafeSegmentReason(s);
    if (why) return why;
    if (SAFE_SEGMENTS.size < 100_000) SAFE_SEGMENTS.add(s);
  }
  if (Buffer.byteLength(p) > 4096) return 'is longer than 4096 bytes';
  return undefined;
}

/** Join a service folder and a file name into a normal repo-relative path. */
export function repoPath(dir: string, file: string): string {
  return dir === '.' || dir === '' ? file : `${dir}/${file}`;
}
