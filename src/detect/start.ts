/**
 * services[].start for Node: the command the container runs, taken only from what the project
 * says plainly (scripts.start, main, npm's own defaults). It becomes an exec-form CMD, so a
 * command that needs a shell is never guessed at; the seeded Dockerfile falls back to npm start.
 */
import type { PackageManager } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { script, type PackageJson } from './node.js';

/**
 * One word of a start command: what the schema's services[].start pattern allows between single
 * spaces (keep in step with START in scripts/gen-schema.mjs).
 */
export const START_TOKEN = /^[^\s"'`\\$;&|<>\x00]+$/;

export interface StartGuess {
  start?: string;
  reasons: string[];
  notes: string[];
}

/** Node flags that take their value as the next word. */
const FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--title']);
/** Development-only flags, or ones that need a file the image does not have (.env is dockerignored). */
const DROPPED_FLAG = /^--(watch|watch-path|watch-preserve-output|inspect|inspect-brk|inspect-wait|env-file|env-file-if-exists)(=|$)/;

/** A repo-relative entry file that stays inside the service folder: "./dist/x.js" → "dist/x.js". */
function entryPath(word: string): string | undefined {
  const p = word.replace(/^\.\//, '');
  if (!p || p.startsWith('/') || p.split('/').includes('..') || !START_TOKEN.test(p)) return undefined;
  return p;
}

/** Whether Node would find the entry: the file, with an added extension, or a folder index. */
function entryExists(fs: RepoFs, dir: string, entry: string): boolean {
  const candidates = [entry, `${entry}.js`, `${entry}.mjs`, `${entry}.cjs`, `${entry}/index.js`];
  return candidates.some((c) => fs.read(joinRel(dir, c), 1) !== undefined);
}

/**
 * `node [flags] <file> [args]` (or `bun [run] <file> [args]`) as argv, with a leading NODE_ENV=…
 * dropped (the image sets NODE_ENV=production) and development flags removed; undefined for
 * anything that needs a shell or another tool.
 */
export function plainStartScript(text: string, runtime: 'node' | 'bun'): { argv: string[]; entry: string; dropped: string[] } | undefined {
  const words = text.trim().split(/\s+/);
  while (words[0] && /^NODE_ENV=[A-Za-z]+$/.test(words[0])) words.shift();
  if (words[0] !== runtime || !words.every((w) => START_TOKEN.test(w))) return undefined;
  const argv: string[] = [runtime];
  const dropped: string[] = [];
  let i = 1;
  if (runtime === 'bun' && words[i] === 'run') argv.push(words[i++]!);
  for (; i < words.length && words[i]!.startsWith('-'); i++) {
    const flag = words[i]!;
    const takesValue = FLAGS_WITH_VALUE.has(flag) || flag === '--env-file' || flag === '--env-file-if-exists';
    if (DROPPED_FLAG.test(flag)) {
      dropped.push(flag);
      if (takesValue) i++;
      continue;
    }
    argv.push(flag);
    if (takesValue && i + 1 < words.length) argv.push(words[++i]!);
  }
  const entry = i < words.length ? entryPath(words[i]!) : undefined;
  if (!entry) return undefined;
  argv.push(entry, ...words.slice(i + 1));
  return { argv, entry, dropped };
}

/**
 * The start command of a Node service at `dir`: scripts.start when it is a plain runtime command,
 * else `main`, else npm's defaults (server.js, index.js) when there is no start script. An entry
 * file must exist in the repository, or a build script must exist that could produce it.
 */
export function nodeStart(fs: RepoFs, dir: string, pkg: PackageJson | undefined, pm: PackageManager): StartGuess {
  const runtime = pm === 'bun' ? 'bun' : 'node';
  const out: StartGuess = { reasons: [], notes: [] };
  const built = script(pkg, 'build') !== undefined;
  const usable = (entry: string) => entryExists(fs, dir, entry) || built;
  const startScript = script(pkg, 'start');

  if (startScript) {
    const plain = plainStartScript(startScript, runtime);
    if (plain && usable(plain.entry)) {
      out.start = plain.argv.join(' ');
      const dropped = plain.dropped.length ? ` (without ${plain.dropped.join(', ')}: development-only or needs a file the image lacks)` : '';
      out.reasons.push(`scripts.start "${startScript}" → start: ${out.start}${dropped}`);
      return out;
    }
    out.reasons.push(
      plain
        ? `scripts.start runs ${plain.entry}, which is not in the repository and no build script makes it`
        : `scripts.start "${startScript}" is not a plain \`${runtime} <file>\` command`,
    );
  }

  const main = typeof pkg?.main === 'string' ? entryPath(pkg.main) : undefined;
  if (main && usable(main)) {
    out.start = `${runtime} ${main}`;
    out.reasons.push(`package.json main "${pkg!.main as string}" → start: ${out.start}`);
    return out;
  }
  if (!startScript) {
    // npm's own conventions: `npm start` runs server.js, `node .` runs index.js.
    const dflt = ['server.js', 'index.js'].find((f) => entryExists(fs, dir, f));
    if (dflt) {
      out.start = `${runtime} ${dflt}`;
      out.reasons.push(`no start script or main; ${joinRel(dir, dflt)} exists → start: ${out.start}`);
      return out;
    }
  }
  const why = startScript ? `scripts.start is not a plain \`${runtime} <file>\` command and main names no file` : 'no start script, main, server.js or index.js';
  out.notes.push(
    `${at(dir)}no start command found (${why}): the seeded Dockerfile runs \`${runtime === 'bun' ? 'bun run start' : 'npm start'}\`; ` +
      'set services[].start in devops.yaml (e.g. "node dist/server.js") to run the server directly',
  );
  return out;
}

/**
 * The same start command for another port: init's --port overrides the port detection assumed,
 * and `--port N` / `0.0.0.0:N` in a detected command must follow it.
 */
export function startForPort(start: string, from: number, to: number): string {
  if (from === to) return start;
  return start
    .split(' ')
    .map((w, i, all) => (all[i - 1] === '--port' && w === String(from) ? String(to) : w === `0.0.0.0:${from}` ? `0.0.0.0:${to}` : w))
    .join(' ');
}
