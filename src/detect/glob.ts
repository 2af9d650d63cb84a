/**
 * Workspace globs ("apps/*", "packages/**", "tools/cli", "!**\/test/**") matched against real
 * folders. Just enough of the glob language for package-manager workspaces; no dependency.
 */
import { MAX_WALK_DEPTH, type RepoFs } from './fsread.js';

const GLOB_CHARS = /[*?[{]/;

/** A glob → a RegExp over repo-relative POSIX paths. `**` spans folders, `*` and `?` do not. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:[^/]+/)*'; // "**/" : zero or more folders
      } else {
        re += '.+'; // trailing "**": one or more levels below
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cleans "./apps/*\/" → "apps/*"; refuses patterns that climb out of the repository. */
function normalize(pattern: string): string | undefined {
  const p = pattern.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (!p || p.startsWith('/') || p.split('/').includes('..')) return undefined;
  return p;
}

/**
 * Folders matched by the include globs, minus those matched by '!' globs, that hold `marker`
 * (package.json for npm/pnpm/yarn). Sorted, unique, never deeper than the walk depth cap.
 */
export function expandGlobs(fs: RepoFs, patterns: string[], marker: string): string[] {
  const includes: string[] = [];
  const excludes: RegExp[] = [];
  for (const raw of patterns) {
    const neg = raw.trim().startsWith('!');
    const p = normalize(neg ? raw.trim().slice(1) : raw);
    if (!p) continue;
    if (neg) excludes.push(globToRegExp(p));
    else includes.push(p);
  }
  const found = new Set<string>();
  for (const p of includes) {
    const segments = p.split('/');
    const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
    if (firstGlob < 0) {
      if (fs.isDir(p)) found.add(p);
      continue;
    }
    // Walk only below the pattern's literal prefix, and only as deep as the pattern can reach.
    const base = segments.slice(0, firstGlob).join('/') || '.';
    const depth = p.includes('**') ? MAX_WALK_DEPTH : segments.length;
    const re = globToRegExp(p);
    for (const dir of fs.walk(base, depth)) if (re.test(dir)) found.add(dir);
  }
  return [...found].filter((d) => fs.has(d, marker) && !excludes.some((re) => re.test(d))).sort();
}
