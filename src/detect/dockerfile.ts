/**
 * Reading a Dockerfile without building it: instructions with their line numbers, stages,
 * ARG/ENV values (so `EXPOSE ${PORT}` resolves), the final stage's base image, and COPY/ADD
 * sources — which decide the build context. `missingCopySources` checks a context against a
 * Dockerfile; tests reuse it to prove a generated image job builds from the right folder.
 */
import { joinRel, RepoFs } from './fsread.js';
import { globToRegExp } from './glob.js';

export interface DockerInstruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Upper-case keyword: FROM, ARG, ENV, EXPOSE, COPY … */
  op: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface DockerStage {
  /** `AS name`, lower-cased. */
  name?: string;
  /** The image as written after FROM (flags removed). */
  image: string;
  line: number;
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM. */
  globalArgs: Map<string, string | undefined>;
  stages: DockerStage[];
}

/** Lines joined at trailing backslashes; comments and parser directives dropped; heredoc bodies skipped. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const out: Dockerfile = { globalArgs: new Map(), stages: [] };
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let raw = lines[i]!;
    i++;
    if (/^\s*#/.test(raw) || raw.trim() === '') continue;
    while (/\\\s*$/.test(raw) && i < lines.length) {
      raw = raw.replace(/\\\s*$/, ' ');
      // Comment lines inside a continued instruction are dropped by Docker too.
      while (i < lines.length && /^\s*#/.test(lines[i]!)) i++;
      if (i < lines.length) raw += lines[i++]!;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(raw);
    if (!m) continue;
    const ins: DockerInstruction = { line: start + 1, op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    // A heredoc (RUN <<EOF … EOF) carries lines that are not instructions.
    const heredoc = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(ins.args);
    if (heredoc && (ins.op === 'RUN' || ins.op === 'COPY' || ins.op === 'ADD')) {
      while (i < lines.length && lines[i]!.trim() !== heredoc[1]) i++;
      i++;
    }
    if (ins.op === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      const stage: DockerStage = { image: words[0] ?? '', line: ins.line, instructions: [] };
      if (as > 0 && words[as + 1]) stage.name = words[as + 1]!.toLowerCase();
      out.stages.push(stage);
    } else if (out.stages.length === 0) {
      if (ins.op === 'ARG') for (const [k, v] of argPairs(ins.args)) out.globalArgs.set(k, v);
    } else {
      out.stages[out.stages.length - 1]!.instructions.push(ins);
    }
  }
  return out;
}

/** `ARG A=1 B` → [[A,'1'],[B,undefined]]. */
function argPairs(args: string): [string, string | undefined][] {
  return splitWords(args).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, undefined] : [w.slice(0, eq), unquote(w.slice(eq + 1))];
  });
}

/** `ENV A=1 B="two words"` or legacy `ENV A 1`. */
function envPairs(args: string): [string, string][] {
  const words = splitWords(args);
  if (words.length && !words[0]!.includes('=')) {
    const sp = /^(\S+)\s+(.*)$/.exec(args);
    return sp ? [[sp[1]!, unquote(sp[2]!.trim())]] : [];
  }
  return words.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), unquote(w.slice(w.indexOf('=') + 1))]);
}

/** Words split on spaces outside quotes. */
function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const c of s) {
    if (q) {
      cur += c;
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") {
      q = c;
      cur += c;
    } else if (/\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');
}

/** A variable's value and where it was set, for evidence strings. */
export interface VarValue {
  value: string;
  /** e.g. "`ENV PORT=8080` (line 12)" */
  source: string;
}

/**
 * Variables visible in a stage: global ARG defaults, the ARG/ENV of the stages it builds FROM,
 * then its own, in order up to (not including) `beforeLine`.
 */
export function stageVars(df: Dockerfile, stageIndex: number, beforeLine = Infinity): Map<string, VarValue> {
  const chain: DockerStage[] = [];
  const seen = new Set<number>();
  for (let idx = stageIndex; idx >= 0 && !seen.has(idx); ) {
    seen.add(idx);
    const st = df.stages[idx]!;
    chain.unshift(st);
    const parent = df.stages.findIndex((s) => s.name !== undefined && s.name === st.image.toLowerCase());
    idx = parent >= 0 && parent < idx ? parent : -1;
  }
  const vars = new Map<string, VarValue>();
  for (const st of chain) {
    for (const ins of st.instructions) {
      if (st === df.stages[stageIndex] && ins.line >= beforeLine) break;
      if (ins.op === 'ENV') {
        for (const [k, v] of envPairs(ins.args)) vars.set(k, { value: substitute(v, vars, df), source: `\`ENV ${k}=${v}\` (line ${ins.line})` });
      } else if (ins.op === 'ARG') {
        for (const [k, v] of argPairs(ins.args)) {
          const global = df.globalArgs.get(k);
          const val = v ?? global;
          if (val !== undefined && !vars.has(k)) vars.set(k, { value: substitute(val, vars, df), source: `\`ARG ${k}=${val}\` (line ${ins.line})` });
        }
      }
    }
  }
  return vars;
}

/** `${A}`, `$A`, `${A:-x}` with known values; unknown variables are left as written. */
export function substitute(s: string, vars: Map<string, VarValue>, df?: Dockerfile): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, dflt: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const v = vars.get(name)?.value ?? df?.globalArgs.get(name);
    if (v !== undefined && v !== '') return v;
    return dflt !== undefined ? dflt : all;
  });
}

/** Names of variables referenced in a string. */
export function referencedVars(s: string): { name: string; dflt?: string }[] {
  const out: { name: string; dflt?: string }[] = [];
  for (const m of s.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    out.push(m[2] !== undefined ? { name: (m[1] ?? m[3])!, dflt: m[2] } : { name: (m[1] ?? m[3])! });
  }
  return out;
}

export function finalStage(df: Dockerfile): { stage: DockerStage; index: number } | undefined {
  const index = df.stages.length - 1;
  return index >= 0 ? { stage: df.stages[index]!, index } : undefined;
}

export interface ExposedPort {
  port: number;
  /** "src/ad/Dockerfile:31 `EXPOSE ${AD_PORT}`" plus where the variable's value came from. */
  source: string;
}

/**
 * The first EXPOSE of the final stage (or of the stages it builds on), resolved through
 * ARG/ENV defaults and then `external` (compose .env values, keyed by variable name).
 * `unresolved` names the variable when nothing gives it a value.
 */
export function exposedPort(
  df: Dockerfile,
  file: string,
  external?: Map<string, VarValue>,
): { found?: ExposedPort; unresolved?: string } {
  const last = finalStage(df);
  if (!last) return {};
  // The final stage first, then the stages it is built FROM.
  const order: number[] = [];
  for (let idx: number = last.index; idx >= 0 && !order.includes(idx); ) {
    order.push(idx);
    const st = df.stages[idx]!;
    idx = df.stages.findIndex((s) => s.name !== undefined && s.name === st.image.toLowerCase());
  }
  for (const idx of order) {
    const stage = df.stages[idx]!;
    const ins = stage.instructions.find((x) => x.op === 'EXPOSE');
    if (!ins) continue;
    const first = ins.args.split(/\s+/)[0] ?? '';
    const vars = stageVars(df, idx, ins.line);
    const refs = referencedVars(first);
    let value = substitute(first, vars, df);
    const via: string[] = [];
    for (const r of refs) {
      const v = vars.get(r.name);
      if (v) via.push(`${v.source}`);
      else if (external?.get(r.name)) {
        value = value.replace(new RegExp(`\\$\\{${r.name}(?::?-[^}]*)?\\}|\\$${r.name}\\b`), external.get(r.name)!.value);
        via.push(external.get(r.name)!.source);
      } else if (r.dflt !== undefined) via.push(`its default ${r.dflt}`);
    }
    const m = /^(\d+)(?:\/(?:tcp|udp))?$/.exec(value);
    const where = `${file}:${ins.line} \`EXPOSE ${ins.args}\``;
    if (m && validPort(Number(m[1]))) return { found: { port: Number(m[1]), source: via.length ? `${where} + ${via.join(' + ')}` : where } };
    if (refs.length) return { unresolved: refs.map((r) => r.name).join(', ') };
  }
  return {};
}

export function validPort(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n < 65536;
}

/** The final stage's base image with variables resolved ("node:20-alpine"), and its line. */
export function baseImage(df: Dockerfile): { image: string; line: number; builder?: { image: string; line: number }[] } | undefined {
  const last = finalStage(df);
  if (!last) return undefined;
  const resolve = (st: DockerStage, idx: number) => substitute(st.image, stageVars(df, Math.max(idx - 1, 0), 0), df);
  // Resolve a FROM that names an earlier stage down to its image.
  let st = last.stage;
  let idx = last.index;
  for (let guard = 0; guard < 10; guard++) {
    const parent = df.stages.findIndex((s) => s.name !== undefined && s.name === st.image.toLowerCase());
    if (parent < 0 || parent >= idx) break;
    st = df.stages[parent]!;
    idx = parent;
  }
  const builders = df.stages.slice(0, -1).map((s, i) => ({ image: resolve(s, i), line: s.line }));
  return { image: resolve(st, idx), line: st.line, builder: builders };
}

export interface CopySource {
  /** As written ("package*.json", "./src", "src/ad/"). */
  path: string;
  line: number;
}

/**
 * COPY/ADD sources of every stage, except `--from=` copies (from another stage or image), URLs
 * and heredocs. Variables are resolved where the Dockerfile gives them a value.
 */
export function copySources(df: Dockerfile): CopySource[] {
  const out: CopySource[] = [];
  df.stages.forEach((stage, idx) => {
    for (const ins of stage.instructions) {
      if (ins.op !== 'COPY' && ins.op !== 'ADD') continue;
      let words: string[];
      const json = /^((?:--\S+\s+)*)(\[.*\])\s*$/.exec(ins.args);
      if (json) {
        try {
          words = [...json[1]!.split(/\s+/).filter(Boolean), ...(JSON.parse(json[2]!) as string[])];
        } catch {
          continue;
        }
      } else words = splitWords(ins.args).map(unquote);
      const flags = words.filter((w) => w.startsWith('--'));
      if (flags.some((f) => f.startsWith('--from'))) continue;
      const paths = words.filter((w) => !w.startsWith('--'));
      if (paths.some((p) => p.startsWith('<<'))) continue;
      const vars = stageVars(df, idx, ins.line);
      for (const p of paths.slice(0, -1)) {
        if (/^[a-z]+:\/\//i.test(p) || p.startsWith('git@')) continue;
        out.push({ path: substitute(p, vars, df), line: ins.line });
      }
    }
  });
  return out;
}

/** A COPY source with a wildcard may match nothing (BuildKit allows it when another source matches). */
function optional(src: string): boolean {
  return /[*?[]/.test(src);
}

/** Whether `src` (as written in COPY) exists relative to the context folder. */
export function sourceExists(fs: RepoFs, context: string, src: string): boolean {
  const clean = src.replace(/^\/+/, '').replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return true;
  if (clean.startsWith('/') || clean.split('/').includes('..')) return false;
  const segs = clean.split('/');
  let dirs = [context];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const lastSeg = i === segs.length - 1;
    const next: string[] = [];
    for (const d of dirs) {
      const listing = fs.list(d);
      if (!listing) continue;
      // fs.list hides ignored folders (dist, target, build …) and dot-folders: check them directly.
      const names = [...listing.files, ...listing.dirs];
      const re = /[*?[]/.test(seg) ? globToRegExp(seg) : undefined;
      if (re) {
        for (const n of names) if (re.test(n)) next.push(joinRel(d, n));
      } else if (listing.files.has(seg) || listing.dirs.includes(seg) || fs.isDir(joinRel(d, seg))) next.push(joinRel(d, seg));
    }
    if (next.length === 0) return false;
    dirs = lastSeg ? next : next.filter((n) => fs.isDir(n));
    if (dirs.length === 0) return false;
  }
  return true;
}

/** COPY/ADD sources (required ones: wildcards may match nothing) missing relative to `context`. */
export function missingSources(fs: RepoFs, context: string, sources: CopySource[]): string[] {
  const missing: string[] = [];
  const wild = sources.filter((s) => optional(s.path));
  for (const s of sources) {
    if (optional(s.path)) continue;
    if (!sourceExists(fs, context, s.path)) missing.push(s.path);
  }
  // Every wildcard on one COPY line matching nothing is an error too; check each line's wildcards together.
  const byLine = new Map<number, string[]>();
  for (const s of wild) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s.path]);
  for (const [line, paths] of byLine) {
    const lineSources = sources.filter((s) => s.line === line);
    if (lineSources.length === paths.length && !paths.some((p) => sourceExists(fs, context, p))) missing.push(...paths);
  }
  return [...new Set(missing)];
}

/**
 * The COPY/ADD sources of `dockerfile` (repo-relative) that do not exist relative to `context`
 * (repo-relative folder, '.' = root) in the repository at `root`. Empty means `docker build -f
 * <dockerfile> <context>` finds every file it copies (ignoring .dockerignore).
 */
export function missingCopySources(root: string, context: string, dockerfile: string): string[] {
  const fs = new RepoFs(root);
  const text = fs.read(dockerfile);
  if (text === undefined) return [`(${dockerfile} not readable)`];
  return missingSources(fs, context, copySources(parseDockerfile(text)));
}

/** Final-stage CMD and ENTRYPOINT as written. */
export function entrypoint(df: Dockerfile): { cmd?: string; entrypoint?: string; line?: number } {
  const last = finalStage(df);
  if (!last) return {};
  const out: { cmd?: string; entrypoint?: string; line?: number } = {};
  for (const ins of last.stage.instructions) {
    if (ins.op === 'CMD') out.cmd = ins.args;
    if (ins.op === 'ENTRYPOINT') {
      out.entrypoint = ins.args;
      out.line = ins.line;
    }
  }
  return out;
}

/** HEALTHCHECK of the final stage, as written. */
export function healthcheck(df: Dockerfile): DockerInstruction | undefined {
  return finalStage(df)?.stage.instructions.find((i) => i.op === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args));
}
