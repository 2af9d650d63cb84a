/**
 * Compose files at the repository root (compose.yaml, docker-compose.yml, their override and
 * variant files): which services are built from which Dockerfile and context, their ports,
 * environment and dependencies. Values are interpolated from the root .env, as compose does.
 */
import { parse as parseYaml } from 'yaml';
import { joinRel, type RepoFs } from './fsread.js';
import type { VarValue } from './dockerfile.js';

export interface ComposeService {
  name: string;
  /** Compose file that defines it (the first one that does). */
  file: string;
  line: number;
  build?: { context: string; dockerfile: string; source: string };
  image?: string;
  /** Container-side ports from `ports` then `expose`, with the entry as written. */
  ports: { port: number; source: string }[];
  /** KEY → value as interpolated, or undefined when compose passes it through without one. */
  environment: Map<string, { value?: string; required: boolean; raw: string }>;
  dependsOn: string[];
  command?: string;
  healthcheck?: string;
  profiles: string[];
}

export interface Compose {
  files: string[];
  services: ComposeService[];
  /** Root .env values (what compose interpolates with). */
  env: Map<string, VarValue>;
}

const PRIMARY = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** `KEY=value` lines of a dotenv file, with their line numbers. */
export function parseEnvFile(text: string, file: string): Map<string, VarValue & { line: number; raw: string }> {
  const out = new Map<string, VarValue & { line: number; raw: string }>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) return;
    let v = m[2]!;
    if (/^".*"$|^'.*'$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out.set(m[1]!, { value: v, source: `${file}:${i + 1} \`${m[1]}=${v}\``, line: i + 1, raw });
  });
  // Resolve ${X} references to earlier keys (compose does the same in .env).
  for (const [k, e] of out) {
    const resolved = e.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, n: string) => out.get(n)?.value ?? all);
    if (resolved !== e.value) out.set(k, { ...e, value: resolved });
  }
  return out;
}

/** Compose interpolation: ${X}, ${X:-d}, ${X-d}, ${X:?e}, ${X?e}, $X, $$ → $. */
function interpolate(s: string, env: Map<string, VarValue>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = s
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, a: string | undefined, op: string | undefined, arg: string | undefined, b: string | undefined) => {
      const name = (a ?? b)!;
      const v = env.get(name)?.value;
      if (v !== undefined && (v !== '' || !op?.startsWith(':'))) return v;
      if (op === ':-' || op === '-') return arg ?? '';
      missing.push(name);
      return '';
    })
    .replace(/\$\$/g, '$');
  return { value, missing };
}

function lineOf(text: string, name: string): number {
  const lines = text.split(/\r?\n/);
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const idx = lines.findIndex((l) => new RegExp(`^\\s{1,8}["']?${esc}["']?\\s*:`).test(l));
  return idx + 1;
}

/** Normalise a compose path relative to the compose file's folder into a repo-relative one. */
function repoPath(base: string, p: string): string | undefined {
  const parts = [...(base === '.' ? [] : base.split('/')), ...p.split('/')];
  const out: string[] = [];
  for (const seg of parts) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.length ? out.join('/') : '.';
}

function containerPort(entry: unknown, env: Map<string, VarValue>): number | undefined {
  if (typeof entry === 'number') return entry;
  if (entry && typeof entry === 'object') {
    const t = (entry as { target?: unknown }).target;
    return typeof t === 'number' ? t : typeof t === 'string' ? Number(interpolate(t, env).value) : undefined;
  }
  if (typeof entry !== 'string') return undefined;
  const v = interpolate(entry, env).value.replace(/\/(tcp|udp)$/, '');
  const last = v.split(':').pop() ?? '';
  const n = Number(last.split('-')[0]);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

export function readCompose(fs: RepoFs): Compose {
  const env = new Map<string, VarValue>();
  const dotenv = fs.read('.env', 64 * 1024);
  if (dotenv !== undefined) for (const [k, v] of parseEnvFile(dotenv, '.env')) env.set(k, v);
  const names = [...(fs.list('.')?.files ?? [])].filter((f) => /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(f));
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const byName = new Map<string, ComposeService>();
  const files: string[] = [];
  for (const file of names) {
    const text = fs.read(file);
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      continue;
    }
    const services = (doc as { services?: unknown } | null)?.services;
    if (!services || typeof services !== 'object') continue;
    files.push(file);
    for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
      if (!raw || typeof raw !== 'object') continue;
      const s = raw as Record<string, unknown>;
      const line = lineOf(text, name);
      let svc = byName.get(name);
      if (!svc) {
        svc = { name, file, line, ports: [], environment: new Map(), dependsOn: [], profiles: [] };
        byName.set(name, svc);
      }
      const at = `${file}:${line}`;
      if (!svc.build && s['build'] !== undefined) {
        const b = s['build'];
        const ctxRaw = typeof b === 'string' ? b : typeof (b as { context?: unknown })?.context === 'string' ? (b as { context: string }).context : '.';
        const ctx = repoPath('.', interpolate(ctxRaw, env).value || '.');
        const dfRaw = typeof (b as { dockerfile?: unknown })?.dockerfile === 'string' ? interpolate((b as { dockerfile: string }).dockerfile, env).value : 'Dockerfile';
        const df = ctx !== undefined ? repoPath(ctx, dfRaw) : undefined;
        if (ctx !== undefined && df !== undefined) {
          const shown = typeof b === 'string' ? `build: ${b}` : `build.context: ${ctxRaw}${typeof (b as { dockerfile?: unknown }).dockerfile === 'string' ? `, dockerfile: ${(b as { dockerfile: string }).dockerfile}` : ''}`;
          svc.build = { context: ctx, dockerfile: df, source: `${at} (service ${name}) \`${shown}\`` };
        }
      }
      if (!svc.image && typeof s['image'] === 'string') svc.image = interpolate(s['image'], env).value;
      for (const key of ['ports', 'expose'] as const) {
        const list = s[key];
        if (!Array.isArray(list)) continue;
        for (const e of list) {
          const p = containerPort(e, env);
          if (p && !svc.ports.some((x) => x.port === p)) {
            const rawText = typeof e === 'string' || typeof e === 'number' ? String(e) : JSON.stringify(e);
            const via = referencedNames(rawText).map((n) => env.get(n)?.source).filter(Boolean);
            svc.ports.push({ port: p, source: `${at} (service ${name}) \`${key}: ${rawText}\`${via.length ? ` + ${via.join(' + ')}` : ''}` });
          }
        }
      }
      const envList = s['environment'];
      const entries: [string, unknown][] = Array.isArray(envList)
        ? envList.filter((x): x is string => typeof x === 'string').map((x) => (x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, null]))
        : envList && typeof envList === 'object'
          ? Object.entries(envList as Record<string, unknown>)
          : [];
      for (const [k, v] of entries) {
        if (svc.environment.has(k)) continue;
        if (v === null || v === undefined) {
          const fromEnv = env.get(k)?.value;
          svc.environment.set(k, { ...(fromEnv !== undefined ? { value: fromEnv } : {}), required: fromEnv === undefined, raw: k });
          continue;
        }
        const raw = String(v);
        const r = interpolate(raw, env);
        const hardFail = /\$\{[A-Za-z_][A-Za-z0-9_]*:?\?/.test(raw);
        svc.environment.set(k, { value: r.value, required: hardFail || r.missing.length > 0, raw: `${k}=${raw}` });
      }
      const dep = s['depends_on'];
      const deps = Array.isArray(dep) ? dep.filter((x): x is string => typeof x === 'string') : dep && typeof dep === 'object' ? Object.keys(dep) : [];
      for (const d of deps) if (!svc.dependsOn.includes(d)) svc.dependsOn.push(d);
      const cmd = s['command'];
      if (svc.command === undefined && cmd !== undefined) svc.command = Array.isArray(cmd) ? cmd.join(' ') : String(cmd);
      const hc = (s['healthcheck'] as { test?: unknown } | undefined)?.test;
      if (svc.healthcheck === undefined && hc !== undefined) svc.healthcheck = Array.isArray(hc) ? hc.join(' ') : String(hc);
      if (Array.isArray(s['profiles'])) svc.profiles.push(...s['profiles'].filter((x): x is string => typeof x === 'string'));
    }
  }
  return { files, services: [...byName.values()], env };
}

function rank(file: string): number {
  const p = PRIMARY.indexOf(file);
  if (p >= 0) return p;
  if (/override/.test(file)) return 10;
  if (/test|ci|dev/.test(file)) return 30;
  return 20;
}

function referencedNames(s: string): string[] {
  return [...s.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

/** The compose service that builds `dockerfile` (repo-relative), if any. */
export function composeFor(compose: Compose, dockerfile: string): ComposeService | undefined {
  return compose.services.find((s) => s.build?.dockerfile === dockerfile);
}

/** env file names that document configuration, in the order they are trusted. */
export const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env'];

export function readEnvExamples(fs: RepoFs, dir: string): { file: string; vars: ReturnType<typeof parseEnvFile> }[] {
  const out: { file: string; vars: ReturnType<typeof parseEnvFile> }[] = [];
  for (const f of ENV_EXAMPLES) {
    const file = joinRel(dir, f);
    const text = fs.read(file, 64 * 1024);
    if (text !== undefined) out.push({ file, vars: parseEnvFile(text, file) });
  }
  return out;
}
