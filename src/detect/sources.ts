/**
 * A bounded look at a service's own source files, for the facts only code states: health
 * routes, listening ports, environment variables. Capped so a 300-service monorepo stays quick:
 * at most MAX_FILES files per service and language, 64 KiB each, 8 levels deep, never into
 * dependency, build-output, test or dot folders.
 */
import { joinRel, type RepoFs } from './fsread.js';

export interface SourceFile {
  path: string;
  text: string;
}

const MAX_FILES = 250;
const MAX_DEPTH = 8;
const MAX_BYTES = 64 * 1024;
/** Besides fsread's IGNORED_DIRS and dot-folders: tests, generated code, assets. */
const SKIP = new Set(['test', 'tests', '__tests__', 'spec', 'e2e', 'cypress', 'testdata', 'fixtures', 'migrations', 'static', 'public', 'assets', 'node_modules', 'obj', 'bin', 'deps', '_build', 'coverage', 'docs', 'site-packages', 'genproto', 'pb']);

const cache = new WeakMap<RepoFs, Map<string, SourceFile[]>>();

/** Files under `dir` whose names end with one of `exts` (".py"), breadth first. */
export function sourceFiles(fs: RepoFs, dir: string, exts: string[], skipDirs: string[] = []): SourceFile[] {
  let byKey = cache.get(fs);
  if (!byKey) cache.set(fs, (byKey = new Map()));
  const key = `${dir}\0${exts.join(',')}\0${skipDirs.join(',')}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const out: SourceFile[] = [];
  const skip = new Set(skipDirs);
  let level = [dir];
  for (let depth = 0; depth < MAX_DEPTH && level.length && out.length < MAX_FILES; depth++) {
    const next: string[] = [];
    for (const d of level) {
      const listing = fs.list(d);
      if (!listing) continue;
      for (const f of [...listing.files].sort()) {
        if (out.length >= MAX_FILES) break;
        if (!exts.some((e) => f.endsWith(e))) continue;
        if (/(_test\.go|\.test\.[jt]sx?|\.spec\.[jt]sx?|_pb2(_grpc)?\.py|\.pb\.go|_grpc\.pb\.go|\.d\.ts|\.min\.js)$/.test(f)) continue;
        const p = joinRel(d, f);
        const text = fs.read(p, MAX_BYTES);
        if (text !== undefined) out.push({ path: p, text });
      }
      for (const sub of listing.dirs) if (!SKIP.has(sub) && !skip.has(joinRel(d, sub))) next.push(joinRel(d, sub));
    }
    level = next;
  }
  byKey.set(key, out);
  return out;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** "path:line `snippet`" for a regex match in a file. */
export function cite(file: SourceFile, m: RegExpExecArray | RegExpMatchArray): string {
  const idx = m.index ?? 0;
  const snippet = m[0].trim().replace(/\s+/g, ' ').slice(0, 90);
  return `${file.path}:${lineAt(file.text, idx)} \`${snippet}\``;
}

/** The first match of `re` across files, with its file. */
export function firstMatch(files: SourceFile[], re: RegExp): { file: SourceFile; m: RegExpExecArray } | undefined {
  for (const file of files) {
    re.lastIndex = 0;
    const m = re.exec(file.text);
    if (m) return { file, m };
  }
  return undefined;
}

/** Every match of a global regex across files. */
export function allMatches(files: SourceFile[], re: RegExp): { file: SourceFile; m: RegExpExecArray }[] {
  const out: { file: SourceFile; m: RegExpExecArray }[] = [];
  for (const file of files) {
    re.lastIndex = 0;
    for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
      out.push({ file, m });
      if (m[0] === '') re.lastIndex++;
    }
  }
  return out;
}
