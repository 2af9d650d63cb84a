/**
 * What a service's code and framework config say about how it runs: the web or RPC framework,
 * HTTP health routes, gRPC health, the listening port's default, and environment variables read
 * without a default. Regular expressions over a bounded set of source files (sources.ts): no
 * code is run, nothing is imported.
 */
import { joinRel, type RepoFs } from './fsread.js';
import { allMatches, cite, firstMatch, lineAt, sourceFiles, type SourceFile } from './sources.js';
import type { DetectedLanguage, EnvVar } from './types.js';

export interface Located<T> {
  value: T;
  source: string;
}

export interface CodeFacts {
  framework?: Located<string>;
  /** The code serves HTTP (a web framework or an HTTP listener). */
  http?: Located<true>;
  /** The code starts a gRPC server; `health` when it registers grpc.health.v1. */
  grpc?: { source: string; health?: string };
  /** An HTTP route that reports health, with the full path (router prefixes applied). */
  healthRoute?: Located<string>;
  /** Separate liveness/readiness paths (Spring Boot actuator probes). */
  probes?: { liveness: string; readiness: string; source: string; port?: number };
  /** The only route is `/`: usable as a probe, said so. */
  rootRoute?: Located<string>;
  /** The listening port's default in code or framework config. */
  port?: Located<number>;
  /** The variable the port is read from, when the code reads one (PORT, AD_PORT …). */
  portVar?: Located<string>;
  requiredEnv: EnvVar[];
  /** Evidence that the process consumes work rather than serving requests. */
  worker?: Located<string>;
}

const EXTS: Record<DetectedLanguage, string[]> = {
  node: ['.js', '.ts', '.mjs', '.cjs'],
  python: ['.py'],
  go: ['.go'],
  java: ['.java'],
  kotlin: ['.kt', '.java'],
  dotnet: ['.cs'],
  rust: ['.rs'],
  cpp: ['.cpp', '.cc', '.cxx', '.h', '.hpp'],
  php: ['.php'],
  ruby: ['.rb'],
  elixir: ['.ex', '.exs'],
  container: [],
};

/** Names that say "health" in a route. */
const HEALTHY = String.raw`(?:[^'"\`\s]*?(?:health|healthz|healthcheck|health[-_]check|livez|readyz|liveness|readiness|ping|status|_ah/health|up)\b[^'"\`\s]*)`;

function isHealthPath(p: string): boolean {
  return /(^|\/)(_?health[a-z_-]*|healthz|livez|readyz|liveness|readiness|ping|status|up)\/?$/i.test(p) || /health/i.test(p);
}

function normalizeRoute(p: string): string {
  let s = p.trim();
  if (!s.startsWith('/')) s = `/${s}`;
  return s.replace(/\/{2,}/g, '/');
}

/** Join a prefix and a route the way routers do. */
function joinRoute(prefix: string, route: string): string {
  if (!prefix) return normalizeRoute(route);
  const a = normalizeRoute(prefix).replace(/\/$/, '');
  const b = normalizeRoute(route);
  return b === '/' ? a || '/' : `${a}${b}`;
}

export function codeFacts(fs: RepoFs, dir: string, language: DetectedLanguage, manifests: string, skipDirs: string[] = []): CodeFacts {
  const files = EXTS[language].length ? sourceFiles(fs, dir, EXTS[language], skipDirs) : [];
  const out: CodeFacts = { requiredEnv: [] };
  const has = (re: RegExp) => re.test(manifests);
  switch (language) {
    case 'node':
      node(files, manifests, out);
      break;
    case 'python':
      python(fs, dir, files, manifests, out);
      break;
    case 'go':
      go(files, out);
      break;
    case 'java':
    case 'kotlin':
      jvm(fs, dir, files, manifests, out);
      break;
    case 'dotnet':
      dotnet(fs, dir, files, out);
      break;
    case 'rust':
      rust(fs, dir, files, manifests, out);
      break;
    case 'ruby':
      ruby(fs, dir, files, manifests, out);
      break;
    case 'elixir':
      elixir(fs, dir, files, manifests, out);
      break;
    case 'php':
      php(fs, dir, files, manifests, out);
      break;
    case 'cpp':
      cpp(files, out);
      break;
    default:
      break;
  }
  // Queue consumers and load generators: a consumer library and no server.
  if (!out.http && !out.grpc && !out.worker) {
    const consumer = /\b(kafkajs|confluent[-_]kafka|kafka-python|aiokafka|segmentio\/kafka-go|IBM\/sarama|Shopify\/sarama|kafka-clients|Confluent\.Kafka|rdkafka|amqplib|pika|celery|bullmq|sidekiq|locust|k6)\b/i.exec(manifests);
    if (consumer) out.worker = { value: consumer[1]!, source: `${consumer[1]} is a dependency and no HTTP or gRPC server was found` };
  }
  if (!has(/./)) return out;
  return out;
}

// ---------------------------------------------------------------- Node

function node(files: SourceFile[], pkg: string, out: CodeFacts): void {
  const dep = (n: string) => new RegExp(`"${n.replace(/[/.]/g, '\\$&')}"\\s*:`).test(pkg);
  const fw = dep('@nestjs/core') ? 'nestjs' : dep('next') ? 'next' : dep('fastify') ? 'fastify' : dep('express') ? 'express' : dep('koa') ? 'koa' : dep('@hapi/hapi') ? 'hapi' : undefined;
  if (fw) {
    out.framework = { value: fw, source: `package.json dependency "${fw === 'nestjs' ? '@nestjs/core' : fw === 'hapi' ? '@hapi/hapi' : fw}"` };
    out.http = { value: true, source: out.framework.source };
  }
  const grpcServer = firstMatch(files, /new\s+grpc\.Server\s*\(|new\s+Server\s*\(\s*\)[\s\S]{0,400}addService|\.addService\s*\(/);
  if (grpcServer && (dep('@grpc/grpc-js') || dep('grpc'))) {
    const health = firstMatch(files, /grpc\.health\.v1|grpc(?:-js)?-health-check|HealthImplementation|health\.proto/);
    out.grpc = { source: cite(grpcServer.file, grpcServer.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    if (!out.framework) out.framework = { value: 'grpc', source: `package.json dependency "@grpc/grpc-js" + ${cite(grpcServer.file, grpcServer.m)}` };
  }
  if (!out.http) {
    const h = firstMatch(files, /\bhttp\.createServer\s*\(|\bcreateServer\s*\(/);
    if (h) out.http = { value: true, source: cite(h.file, h.m) };
  }
  // Routes: app.get('/health'), router.get("/healthz"), fastify.route({ url: '/health' }).
  const route = firstMatch(files, new RegExp(String.raw`\.(?:get|all|head|route)\s*\(\s*['"\`](/${HEALTHY})['"\`]`, 'i'));
  if (route) out.healthRoute = { value: normalizeRoute(route.m[1]!), source: cite(route.file, route.m) };
  // NestJS: @Controller('health') + @Get() / @Get('ready').
  if (!out.healthRoute && fw === 'nestjs') {
    const ctl = firstMatch(files, /@Controller\(\s*['"`]([^'"`]*health[^'"`]*)['"`]\s*\)[\s\S]*?@(?:Get|HealthCheck)\(\s*(?:['"`]([^'"`]*)['"`])?\s*\)/i);
    if (ctl) out.healthRoute = { value: joinRoute(ctl.m[1]!, ctl.m[2] ?? ''), source: cite(ctl.file, ctl.m) };
    const global = firstMatch(files, /setGlobalPrefix\(\s*['"`]([^'"`]+)['"`]/);
    if (out.healthRoute && global) out.healthRoute = { value: joinRoute(global.m[1]!, out.healthRoute.value), source: `${out.healthRoute.source} + ${cite(global.file, global.m)}` };
  }
  // Next.js: app/api/health/route.ts or pages/api/health.ts.
  if (!out.healthRoute && fw === 'next') {
    const f = files.find((x) => /(?:^|\/)(?:src\/)?(?:app\/api\/([^/]*health[^/]*)\/route|pages\/api\/([^/]*health[^/]*))\.[jt]sx?$/.test(x.path));
    if (f) {
      const m = /(?:app\/api\/([^/]*health[^/]*)\/route|pages\/api\/([^/]*health[^/]*))\./.exec(f.path)!;
      out.healthRoute = { value: `/api/${m[1] ?? m[2]}`, source: `${f.path} (Next.js API route)` };
    }
  }
  // Port defaults: process.env.PORT || 3000, ?? 3000, Number(process.env.PORT ?? '8080').
  const pm = firstMatch(files, /process\.env\.([A-Z0-9_]*PORT[A-Z0-9_]*)\s*\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/);
  if (pm) {
    out.port = { value: Number(pm.m[2]), source: cite(pm.file, pm.m) };
    out.portVar = { value: pm.m[1]!, source: cite(pm.file, pm.m) };
  } else {
    const v = firstMatch(files, /process\.env\.([A-Z0-9_]*PORT)\b/);
    if (v) out.portVar = { value: v.m[1]!, source: cite(v.file, v.m) };
    const listen = firstMatch(files, /\.listen\(\s*(\d{2,5})\s*[,)]/);
    if (listen && !out.portVar) out.port = { value: Number(listen.m[1]), source: cite(listen.file, listen.m) };
  }
  // Required env: process.env.X not followed by a fallback.
  for (const { file, m } of allMatches(files, /process\.env\.([A-Z][A-Z0-9_]+)\b(?!\s*(?:\|\||\?\?|!==?|===?|&&|\?(?!\.)))/g)) {
    pushEnv(out, m[1]!, file, m);
  }
  for (const { file, m } of allMatches(files, /process\.env\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\](?!\s*(?:\|\||\?\?))/g)) pushEnv(out, m[1]!, file, m);
}

// ---------------------------------------------------------------- Python

function python(fs: RepoFs, dir: string, files: SourceFile[], deps: string, out: CodeFacts): void {
  const dep = (n: string) => new RegExp(`(^|[\\s"',\\[])${n}\\b`, 'im').test(deps);
  const fw = dep('fastapi') ? 'fastapi' : dep('django') ? 'django' : dep('flask') ? 'flask' : dep('starlette') ? 'starlette' : dep('aiohttp') ? 'aiohttp' : dep('tornado') ? 'tornado' : undefined;
  if (fw) {
    out.framework = { value: fw, source: `${fw} is a direct dependency` };
    out.http = { value: true, source: out.framework.source };
  }
  const grpcServer = firstMatch(files, /\bgrpc\.(?:aio\.)?server\s*\(/);
  if (grpcServer) {
    const health = firstMatch(files, /grpc_health\.v1|health_pb2_grpc|add_HealthServicer_to_server/);
    out.grpc = { source: cite(grpcServer.file, grpcServer.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    if (!out.framework) out.framework = { value: 'grpc', source: cite(grpcServer.file, grpcServer.m) };
  }
  if (!out.http && !out.grpc) {
    const h = firstMatch(files, /\b(?:HTTPServer|ThreadingHTTPServer|uvicorn\.run|web\.run_app|app\.run)\s*\(/);
    if (h) out.http = { value: true, source: cite(h.file, h.m) };
  }
  if (fw === 'fastapi' || fw === 'starlette' || fw === 'flask' || fw === 'aiohttp') {
    const r = fastapiHealth(files);
    if (r) out.healthRoute = r;
  }
  if (fw === 'django' && !out.healthRoute) {
    const r = firstMatch(files.filter((f) => f.path.endsWith('urls.py')), new RegExp(String.raw`(?:path|re_path|url)\(\s*r?['"]\^?(${HEALTHY}/?)\$?['"]`, 'i'));
    if (r) out.healthRoute = { value: normalizeRoute(r.m[1]!), source: cite(r.file, r.m) };
  }
  // Port default: os.getenv("PORT", "8080"), os.environ.get('PORT', 8000).
  const pm = firstMatch(files, /os\.(?:getenv|environ\.get)\(\s*['"]([A-Z0-9_]*PORT)['"]\s*,\s*['"]?(\d{2,5})['"]?\s*\)/);
  if (pm) {
    out.port = { value: Number(pm.m[2]), source: cite(pm.file, pm.m) };
    out.portVar = { value: pm.m[1]!, source: cite(pm.file, pm.m) };
  } else {
    const v = firstMatch(files, /os\.(?:getenv|environ\.get)\(\s*['"]([A-Z0-9_]*PORT)['"]\s*\)|os\.environ\[\s*['"]([A-Z0-9_]*PORT)['"]\s*\]/);
    if (v) out.portVar = { value: (v.m[1] ?? v.m[2])!, source: cite(v.file, v.m) };
  }
  for (const { file, m } of allMatches(files, /os\.(?:getenv|environ\.get)\(\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\)|os\.environ\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g)) {
    pushEnv(out, (m[1] ?? m[2])!, file, m);
  }
  // pydantic-settings: `NAME: str` with no default in a BaseSettings class.
  for (const f of files) {
    const cls = /class\s+\w+\((?:[\w.]*\.)?BaseSettings\)\s*:\s*\n([\s\S]*?)(?=\n\S|$)/.exec(f.text);
    if (!cls) continue;
    const body = cls[1]!;
    const start = cls.index + cls[0].indexOf(body);
    for (const m of body.matchAll(/^ {4}([A-Z][A-Z0-9_]+)\s*:\s*[^=\n]+$/gm)) {
      pushEnv(out, m[1]!, f, { ...m, index: start + (m.index ?? 0) } as RegExpMatchArray);
    }
  }
  void fs;
  void dir;
}

/** FastAPI/Flask health routes with APIRouter/Blueprint prefixes and include_router prefixes applied. */
function fastapiHealth(files: SourceFile[]): Located<string> | undefined {
  const route = firstMatch(files, new RegExp(String.raw`@(\w+)\.(?:get|api_route|route|head)\(\s*['"](/?${HEALTHY}/?)['"]`, 'i'));
  if (!route) return undefined;
  const { file, m } = route;
  const routerVar = m[1]!;
  let path = m[2]!;
  const sources = [cite(file, m)];
  // The router's own prefix: router = APIRouter(prefix="/utils") / Blueprint(..., url_prefix="/x").
  const own = new RegExp(String.raw`\b${routerVar}\s*=\s*(?:APIRouter|Blueprint)\(([^)]*)\)`).exec(file.text);
  const ownPrefix = own ? /(?:url_)?prefix\s*=\s*['"]([^'"]*)['"]/.exec(own[1]!)?.[1] : undefined;
  if (ownPrefix) path = joinRoute(ownPrefix, path);
  // Walk include_router(<module>.router, prefix=...) up to the app, three levels at most.
  let module = file.path.replace(/\.py$/, '').split('/').pop()!;
  let current = routerVar;
  let target = `${module}.${routerVar}`;
  for (let depth = 0; depth < 3; depth++) {
    const inc = firstMatch(files, new RegExp(String.raw`(\w+)\.include_router\(\s*(?:${escapeRe(target)}|${escapeRe(current)})\b([^)]*)\)`));
    if (!inc) break;
    const prefixArg = /prefix\s*=\s*([^,)]+)/.exec(inc.m[2]!)?.[1]?.trim();
    if (prefixArg) {
      const literal = /^f?['"]([^'"]*)['"]$/.exec(prefixArg)?.[1];
      const resolved = literal ?? settingValue(files, prefixArg);
      if (resolved !== undefined) path = joinRoute(resolved, path);
    }
    sources.push(cite(inc.file, inc.m));
    const parentVar = inc.m[1]!;
    if (/^app$/.test(parentVar) || new RegExp(String.raw`\b${parentVar}\s*=\s*(?:FastAPI|Flask)\(`).test(inc.file.text)) break;
    module = inc.file.path.replace(/\.py$/, '').split('/').pop()!;
    target = `${module}.${parentVar}`;
    current = parentVar;
    const parentOwn = new RegExp(String.raw`\b${parentVar}\s*=\s*APIRouter\(([^)]*)\)`).exec(inc.file.text);
    const pp = parentOwn ? /prefix\s*=\s*['"]([^'"]*)['"]/.exec(parentOwn[1]!)?.[1] : undefined;
    if (pp) path = joinRoute(pp, path);
  }
  return { value: normalizeRoute(path), source: sources.join(' + ') };
}

/** `settings.API_V1_STR` → the literal assigned to API_V1_STR anywhere in the code. */
function settingValue(files: SourceFile[], expr: string): string | undefined {
  const name = expr.split('.').pop()!;
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const m = firstMatch(files, new RegExp(String.raw`\b${name}\s*(?::\s*\w+\s*)?=\s*['"]([^'"]*)['"]`));
  return m?.m[1];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------- Go

function go(files: SourceFile[], out: CodeFacts): void {
  const imp = (re: RegExp) => firstMatch(files, re);
  const gin = imp(/"github\.com\/gin-gonic\/gin"/);
  const echo = imp(/"github\.com\/labstack\/echo(?:\/v\d)?"/);
  const chi = imp(/"github\.com\/go-chi\/chi(?:\/v\d)?"/);
  const fiber = imp(/"github\.com\/gofiber\/fiber(?:\/v\d)?"/);
  const mux = imp(/"github\.com\/gorilla\/mux"/);
  const nethttp = imp(/\bhttp\.ListenAndServe(?:TLS)?\s*\(|\bhttp\.Server\s*\{|\.ListenAndServe\s*\(/);
  const fw = gin ? ['gin', gin] : echo ? ['echo', echo] : chi ? ['chi', chi] : fiber ? ['fiber', fiber] : mux ? ['gorilla/mux', mux] : nethttp ? ['net/http', nethttp] : undefined;
  if (fw) {
    const [name, hit] = fw as [string, { file: SourceFile; m: RegExpExecArray }];
    out.framework = { value: name, source: cite(hit.file, hit.m) };
    out.http = { value: true, source: cite(hit.file, hit.m) };
  }
  const grpcServer = imp(/\bgrpc\.NewServer\s*\(/);
  if (grpcServer) {
    const health = imp(/grpc_health_v1|google\.golang\.org\/grpc\/health"/);
    out.grpc = { source: cite(grpcServer.file, grpcServer.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    if (!out.framework) out.framework = { value: 'grpc', source: cite(grpcServer.file, grpcServer.m) };
  }
  // Routes: r.GET("/health"), e.GET, r.Get, http.HandleFunc("/healthz"), mux.HandleFunc("GET /health"), baseUrl+"/_healthz".
  const route = imp(new RegExp(String.raw`\.(?:GET|Get|HEAD|Head|Any|HandleFunc|Handle)\(\s*(?:\w+\s*\+\s*)?"(?:(?:GET|HEAD)\s+)?(/${HEALTHY})"`, 'i'));
  if (route) out.healthRoute = { value: normalizeRoute(route.m[1]!), source: cite(route.file, route.m) };
  // Port: a constant or default, os.Getenv("PORT") with a fallback.
  const getenv = imp(/os\.Getenv\(\s*"([A-Z0-9_]*PORT)"\s*\)/);
  if (getenv) out.portVar = { value: getenv.m[1]!, source: cite(getenv.file, getenv.m) };
  const constPort = imp(/\b(?:listenPort|port|defaultPort|DefaultPort|PORT|Port|srvPort|servicePort)\s*(?::?=|=)\s*"(?::)?(\d{2,5})"/);
  const flagPort = imp(/flag\.(?:Int|String)(?:Var)?\([^)]*"port"\s*,\s*"?:?(\d{2,5})"?/);
  const listen = imp(/(?:ListenAndServe|Listen|Run|Start)\(\s*"(?:[\w.]*)?:(\d{2,5})"/);
  const p = constPort ?? flagPort ?? listen;
  if (p) out.port = { value: Number(p.m[1]), source: cite(p.file, p.m) };
  // `if v := os.Getenv("X"); v != ""` / `if os.Getenv("X") != ""` / os.LookupEnv read it optionally.
  const optional = new Set<string>();
  const reads = allMatches(files, /os\.Getenv\(\s*"([A-Z][A-Z0-9_]+)"\s*\)/g);
  for (const { file, m } of reads) {
    const after = file.text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 40);
    const before = file.text.slice(Math.max(0, (m.index ?? 0) - 30), m.index ?? 0);
    if (/^\s*(?:!=|==)\s*""/.test(after) || /^\s*;\s*\w+\s*(?:!=|==)\s*""/.test(after) || /\bif\s+(?:\w+\s*:=\s*)?$/.test(before)) optional.add(m[1]!);
  }
  for (const { m } of allMatches(files, /os\.LookupEnv\(\s*"([A-Z][A-Z0-9_]+)"\s*\)/g)) optional.add(m[1]!);
  for (const { file, m } of reads) if (!optional.has(m[1]!)) pushEnv(out, m[1]!, file, m);
  for (const { file, m } of allMatches(files, /mustMapEnv\(\s*&[\w.]+\s*,\s*"([A-Z][A-Z0-9_]+)"\s*\)/g)) pushEnv(out, m[1]!, file, m);
}

// ---------------------------------------------------------------- JVM

/** Spring Boot's application.properties / yml keys under src/main/resources. */
function springProps(fs: RepoFs, dir: string): { text: string; file: string }[] {
  const base = joinRel(dir, 'src/main/resources');
  const out: { text: string; file: string }[] = [];
  for (const n of ['application.properties', 'application.yml', 'application.yaml']) {
    const text = fs.read(`${base}/${n}`, 64 * 1024);
    if (text !== undefined) out.push({ text, file: `${base}/${n}` });
  }
  return out;
}

function propValue(props: { text: string; file: string }[], key: string): Located<string> | undefined {
  const parts = key.split('.');
  for (const p of props) {
    const flat = new RegExp(`^\\s*${escapeRe(key)}\\s*[=:]\\s*["']?([^"'\\s#]+)`, 'm').exec(p.text);
    if (flat) return { value: flat[1]!, source: `${p.file}:${lineAt(p.text, flat.index)} \`${flat[0].trim()}\`` };
    if (p.file.endsWith('.properties')) continue;
    // Nested YAML: walk the keys by indentation.
    const lines = p.text.split(/\r?\n/);
    let depth = 0;
    let indent = -1;
    for (let i = 0; i < lines.length && depth < parts.length; i++) {
      const m = /^(\s*)([\w.-]+)\s*:\s*(.*?)\s*$/.exec(lines[i]!);
      if (!m) continue;
      const ind = m[1]!.length;
      if (ind <= indent) break;
      if (m[2] === parts[depth]) {
        depth++;
        indent = ind;
        if (depth === parts.length && m[3]) return { value: m[3].replace(/^["']|["']$/g, ''), source: `${p.file}:${i + 1} \`${lines[i]!.trim()}\`` };
      }
    }
  }
  return undefined;
}

function jvm(fs: RepoFs, dir: string, files: SourceFile[], build: string, out: CodeFacts): void {
  const spring = /spring-boot-starter-(web|webflux)\b|org\.springframework\.boot/.exec(build);
  const springWeb = /spring-boot-starter-(web|webflux)\b/.exec(build);
  if (springWeb || (spring && firstMatch(files, /@SpringBootApplication/))) {
    out.framework = { value: 'spring-boot', source: `build file: ${(springWeb ?? spring)![0]}` };
    if (springWeb) out.http = { value: true, source: `build file: ${springWeb[0]}` };
  }
  const props = springProps(fs, dir);
  const sp = propValue(props, 'server.port');
  const num = sp ? /^(?:\$\{[^:}]+:)?(\d{2,5})\}?$/.exec(sp.value) : undefined;
  if (sp && num) out.port = { value: Number(num[1]), source: sp.source };
  if (out.framework?.value === 'spring-boot') {
    if (/spring-boot-starter-actuator/.test(build)) {
      const basePath = propValue(props, 'management.endpoints.web.base-path')?.value ?? '/actuator';
      const mport = propValue(props, 'management.server.port');
      const probes = { liveness: joinRoute(basePath, '/health/liveness'), readiness: joinRoute(basePath, '/health/readiness'), source: 'build file: spring-boot-starter-actuator (health groups liveness/readiness, on by default on Kubernetes)' };
      out.probes = mport && /^\d+$/.test(mport.value) ? { ...probes, port: Number(mport.value), source: `${probes.source} + ${mport.source}` } : probes;
    }
  }
  const ktor = /io\.ktor:ktor-server/.exec(build);
  if (!out.framework && ktor) {
    out.framework = { value: 'ktor', source: `build file: ${ktor[0]}` };
    out.http = { value: true, source: out.framework.source };
  }
  const grpcServer = firstMatch(files, /\b(?:Netty)?ServerBuilder\s*\.\s*forPort\s*\(|\bServerBuilder\.forPort|\bGrpcServerBuilder|\bio\.grpc\.Server\b/);
  if (grpcServer) {
    const health = firstMatch(files, /HealthStatusManager|io\.grpc\.health\.v1|grpc\.health\.v1|HealthGrpc/);
    out.grpc = { source: cite(grpcServer.file, grpcServer.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    if (!out.framework) out.framework = { value: 'grpc', source: cite(grpcServer.file, grpcServer.m) };
  }
  if (!out.healthRoute) {
    const r = firstMatch(files, new RegExp(String.raw`@(?:Get|Request)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?["'](/${HEALTHY})["']`, 'i')) ?? firstMatch(files, new RegExp(String.raw`\bget\(\s*"(/${HEALTHY})"`, 'i'));
    if (r) out.healthRoute = { value: normalizeRoute(r.m[1]!), source: cite(r.file, r.m) };
  }
  if (!out.port) {
    const env = firstMatch(files, /System\.getenv\(\s*"([A-Z0-9_]*PORT)"\s*\)/);
    if (env) out.portVar = { value: env.m[1]!, source: cite(env.file, env.m) };
    const lit = firstMatch(files, /\b(?:int|val|var|final\s+int)\s+\w*[pP]ort\w*\s*(?::\s*Int\s*)?=\s*(\d{2,5})\b/);
    if (lit) out.port = { value: Number(lit.m[1]), source: cite(lit.file, lit.m) };
  }
  for (const { file, m } of allMatches(files, /System\.getenv\(\s*"([A-Z][A-Z0-9_]+)"\s*\)(?!\s*\?:)/g)) pushEnv(out, m[1]!, file, m);
}

// ---------------------------------------------------------------- .NET

function dotnet(fs: RepoFs, dir: string, files: SourceFile[], out: CodeFacts): void {
  const web = firstMatch(files, /WebApplication\.CreateBuilder|WebHost\.CreateDefaultBuilder|UseStartup<|ConfigureWebHostDefaults/);
  if (web) {
    out.framework = { value: 'aspnetcore', source: cite(web.file, web.m) };
    out.http = { value: true, source: cite(web.file, web.m) };
  }
  const grpc = firstMatch(files, /MapGrpcService<|AddGrpc\(\)/);
  if (grpc) {
    const health = firstMatch(files, /MapGrpcHealthChecksService|Grpc\.Health\.V1|HealthBase\b|AddGrpcHealthChecks/);
    out.grpc = { source: cite(grpc.file, grpc.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    out.framework = { value: 'aspnetcore-grpc', source: cite(grpc.file, grpc.m) };
    // Kestrel serving gRPC serves HTTP/2 only, not browsers' HTTP: treat it as gRPC.
    if (!firstMatch(files, /MapControllers|MapRazorPages|MapBlazorHub|UseStaticFiles/)) delete out.http;
  }
  const r = firstMatch(files, new RegExp(String.raw`(?:Map|Use)(?:HealthChecks|Get)\(\s*"(/${HEALTHY})"`, 'i'));
  if (r) out.healthRoute = { value: normalizeRoute(r.m[1]!), source: cite(r.file, r.m) };
  const env = firstMatch(files, /Environment\.GetEnvironmentVariable\(\s*"([A-Z0-9_]*PORT)"\s*\)/);
  if (env) out.portVar = { value: env.m[1]!, source: cite(env.file, env.m) };
  for (const { file, m } of allMatches(files, /Environment\.GetEnvironmentVariable\(\s*"([A-Z][A-Z0-9_]+)"\s*\)(?!\s*\?\?)/g)) pushEnv(out, m[1]!, file, m);
  void fs;
  void dir;
}

// ---------------------------------------------------------------- Rust

function rust(fs: RepoFs, dir: string, files: SourceFile[], cargo: string, out: CodeFacts): void {
  const fw = /^\s*(axum|actix-web|rocket|warp|poem|tide|hyper|tonic)\s*=/m.exec(cargo);
  if (fw) {
    out.framework = { value: fw[1]!, source: `Cargo.toml dependency ${fw[1]}` };
    if (fw[1] !== 'tonic') out.http = { value: true, source: out.framework.source };
  }
  if (/^\s*tonic\s*=/m.test(cargo)) {
    const server = firstMatch(files, /Server::builder\(\)/);
    if (server) {
      const health = /^\s*tonic-health\s*=/m.test(cargo) ? 'Cargo.toml dependency tonic-health' : undefined;
      out.grpc = { source: cite(server.file, server.m), ...(health ? { health } : {}) };
    }
  }
  const r = firstMatch(files, new RegExp(String.raw`\.route\(\s*"(/${HEALTHY})"|#\[get\(\s*"(/${HEALTHY})"\)\]`, 'i'));
  if (r) out.healthRoute = { value: normalizeRoute((r.m[1] ?? r.m[2])!), source: cite(r.file, r.m) };
  // Configuration files (config-rs): application: port: 8000.
  for (const f of ['configuration/base.yaml', 'configuration/base.yml', 'config/default.toml', 'config/base.yaml', 'Rocket.toml']) {
    const text = fs.read(joinRel(dir, f), 64 * 1024);
    const m = text ? /^\s*port\s*[:=]\s*(\d{2,5})\s*$/m.exec(text) : null;
    if (text && m) {
      out.port = { value: Number(m[1]), source: `${joinRel(dir, f)}:${lineAt(text, m.index)} \`${m[0].trim()}\`` };
      break;
    }
  }
  if (!out.port) {
    const lit = firstMatch(files, /(?:bind|TcpListener::bind|SocketAddr::from)\(\s*(?:"[^"]*:(\d{2,5})"|\(\s*\[[^\]]*\]\s*,\s*(\d{2,5})\s*\))/);
    if (lit) out.port = { value: Number(lit.m[1] ?? lit.m[2]), source: cite(lit.file, lit.m) };
  }
  const env = firstMatch(files, /env::var\(\s*"([A-Z0-9_]*PORT)"\s*\)/);
  if (env) out.portVar = { value: env.m[1]!, source: cite(env.file, env.m) };
  for (const { file, m } of allMatches(files, /env::var\(\s*"([A-Z][A-Z0-9_]+)"\s*\)\s*(?:\.expect|\?|\.unwrap\(\))/g)) pushEnv(out, m[1]!, file, m);
}

// ---------------------------------------------------------------- Ruby, Elixir, PHP, C++

function ruby(fs: RepoFs, dir: string, files: SourceFile[], gemfile: string, out: CodeFacts): void {
  const rails = /^\s*gem\s+["']rails["']/m.exec(gemfile);
  const sinatra = /^\s*gem\s+["']sinatra["']/m.exec(gemfile);
  if (rails || sinatra) {
    out.framework = { value: rails ? 'rails' : 'sinatra', source: `Gemfile \`${(rails ?? sinatra)![0].trim()}\`` };
    out.http = { value: true, source: out.framework.source };
  }
  const routes = fs.read(joinRel(dir, 'config/routes.rb'), 64 * 1024);
  const up = routes ? new RegExp(String.raw`get\s+["'](/?${HEALTHY})["']\s*(?:=>|,\s*to:)`, 'i').exec(routes) : null;
  if (routes && up) out.healthRoute = { value: normalizeRoute(up[1]!), source: `${joinRel(dir, 'config/routes.rb')}:${lineAt(routes, up.index)} \`${up[0].trim()}\`` };
  if (!out.healthRoute) {
    const r = firstMatch(files, new RegExp(String.raw`^\s*get\s+["'](/${HEALTHY})["']`, 'im'));
    if (r) out.healthRoute = { value: normalizeRoute(r.m[1]!), source: cite(r.file, r.m) };
  }
  const puma = fs.read(joinRel(dir, 'config/puma.rb'), 64 * 1024);
  const pm = puma ? /port\s+ENV\.fetch\(\s*["']PORT["']\s*(?:,\s*|\)\s*\{\s*)["']?(\d{2,5})/.exec(puma) : null;
  if (puma && pm) {
    out.port = { value: Number(pm[1]), source: `${joinRel(dir, 'config/puma.rb')}:${lineAt(puma, pm.index)} \`${pm[0].trim()}\`` };
    out.portVar = { value: 'PORT', source: out.port.source };
  }
  if (!out.port) {
    const p = firstMatch(files, /ENV\.fetch\(\s*["']([A-Z0-9_]*PORT)["']\s*,\s*["']?(\d{2,5})/);
    if (p) {
      out.port = { value: Number(p.m[2]), source: cite(p.file, p.m) };
      out.portVar = { value: p.m[1]!, source: cite(p.file, p.m) };
    }
  }
  for (const { file, m } of allMatches(files, /ENV\.fetch\(\s*["']([A-Z][A-Z0-9_]+)["']\s*\)(?!\s*\{)|ENV\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\](?!\s*(?:\|\||\.presence|\?))/g)) pushEnv(out, (m[1] ?? m[2])!, file, m);
}

function elixir(fs: RepoFs, dir: string, files: SourceFile[], mix: string, out: CodeFacts): void {
  const phoenix = /\{\s*:phoenix\s*,/.exec(mix);
  if (phoenix) {
    out.framework = { value: 'phoenix', source: 'mix.exs dependency :phoenix' };
    out.http = { value: true, source: out.framework.source };
  }
  const router = firstMatch(files.filter((f) => /router\.ex$/.test(f.path)), new RegExp(String.raw`get\s+"(/${HEALTHY})"`, 'i'));
  if (router) out.healthRoute = { value: normalizeRoute(router.m[1]!), source: cite(router.file, router.m) };
  for (const f of ['config/runtime.exs', 'config/prod.exs', 'config/config.exs']) {
    const text = fs.read(joinRel(dir, f), 64 * 1024);
    const m = text ? /System\.get_env\(\s*"([A-Z0-9_]*PORT)"\s*(?:,\s*"(\d{2,5})"\s*\)|\)\s*\|\|\s*"?(\d{2,5}))/.exec(text) : null;
    if (text && m) {
      out.port = { value: Number(m[2] ?? m[3]), source: `${joinRel(dir, f)}:${lineAt(text, m.index)} \`${m[0].trim()}\`` };
      out.portVar = { value: m[1]!, source: out.port.source };
      break;
    }
  }
  const rt = fs.read(joinRel(dir, 'config/runtime.exs'), 64 * 1024);
  if (rt) {
    const f: SourceFile = { path: joinRel(dir, 'config/runtime.exs'), text: rt };
    for (const m of rt.matchAll(/System\.fetch_env!\(\s*"([A-Z][A-Z0-9_]+)"\s*\)|System\.get_env\(\s*"([A-Z][A-Z0-9_]+)"\s*\)\s*\|\|\s*raise/g)) pushEnv(out, (m[1] ?? m[2])!, f, m);
  }
}

function php(fs: RepoFs, dir: string, files: SourceFile[], composer: string, out: CodeFacts): void {
  const laravel = /"laravel\/framework"/.test(composer);
  const symfony = /"symfony\/framework-bundle"/.test(composer);
  if (laravel || symfony) {
    out.framework = { value: laravel ? 'laravel' : 'symfony', source: `composer.json requires ${laravel ? 'laravel/framework' : 'symfony/framework-bundle'}` };
    out.http = { value: true, source: out.framework.source };
  }
  const boot = fs.read(joinRel(dir, 'bootstrap/app.php'), 64 * 1024);
  const up = boot ? /health:\s*['"](\/[^'"]*)['"]/.exec(boot) : null;
  if (boot && up) out.healthRoute = { value: up[1]!, source: `${joinRel(dir, 'bootstrap/app.php')}:${lineAt(boot, up.index)} \`${up[0]}\`` };
  if (!out.healthRoute) {
    const r = firstMatch(files, new RegExp(String.raw`(?:Route::get|->get|\$app->get)\(\s*['"](/${HEALTHY})['"]`, 'i'));
    if (r) out.healthRoute = { value: normalizeRoute(r.m[1]!), source: cite(r.file, r.m) };
  }
  if (!out.http && firstMatch(files, /\$app->(?:get|post)\(|Slim\\Factory/)) out.http = { value: true, source: 'routes declared in PHP code' };
  const env = firstMatch(files, /getenv\(\s*['"]([A-Z0-9_]*PORT)['"]\s*\)/);
  if (env) out.portVar = { value: env.m[1]!, source: cite(env.file, env.m) };
}

function cpp(files: SourceFile[], out: CodeFacts): void {
  const grpc = firstMatch(files, /grpc::ServerBuilder|ServerBuilder\s+builder/);
  if (grpc) {
    const health = firstMatch(files, /EnableDefaultHealthCheckService|grpc::health|grpc\.health\.v1|HealthCheckServiceInterface|health\.grpc\.pb/);
    out.grpc = { source: cite(grpc.file, grpc.m), ...(health ? { health: cite(health.file, health.m) } : {}) };
    out.framework = { value: 'grpc', source: cite(grpc.file, grpc.m) };
  }
  const env = firstMatch(files, /getenv\(\s*"([A-Z0-9_]*PORT)"\s*\)/);
  if (env) out.portVar = { value: env.m[1]!, source: cite(env.file, env.m) };
}

function pushEnv(out: CodeFacts, name: string, file: SourceFile, m: RegExpExecArray | RegExpMatchArray): void {
  if (out.requiredEnv.some((e) => e.name === name)) return;
  // Variables every runtime or platform sets, or that only switch tooling on.
  if (/^(NODE_ENV|HOME|PATH|HOSTNAME|PWD|USER|CI|DEBUG|LOG_LEVEL|TZ|LANG|KUBERNETES_.*|OTEL_.*|npm_.*|VERCEL.*|NEXT_RUNTIME|NEXT_PHASE)$/.test(name)) return;
  out.requiredEnv.push({ name, source: cite(file, m) });
}

export { isHealthPath };
