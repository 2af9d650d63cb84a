/**
 * Per-service evidence: kind, port, probes, build context, runtime version, required
 * environment and test services, each with where it was read or marked as a guess with its fix.
 * Works for every language; the language-specific reading lives in frameworks.ts.
 */
import { DEFAULT_PORTS } from '../spec/defaults.js';
import type { Compose, ComposeService } from './compose.js';
import { composeFor, readEnvExamples } from './compose.js';
import type { ManifestWorkload } from './conventions.js';
import {
  baseImage,
  copySources,
  entrypoint,
  exposedPort,
  healthcheck,
  missingSources,
  parseDockerfile,
  type Dockerfile,
  type VarValue,
} from './dockerfile.js';
import { found, guessed } from './evidence.js';
import { codeFacts, type CodeFacts } from './frameworks.js';
import { joinRel, type RepoFs } from './fsread.js';
import type { BuildFacts, DetectedLanguage, EnvVar, Fact, Probe, ServiceEvidence, ServiceKind, TestService } from './types.js';

export interface EnrichInput {
  fs: RepoFs;
  dir: string;
  name: Fact<string>;
  language: Fact<DetectedLanguage>;
  dockerfile?: string;
  compose: Compose;
  workloads: ManifestWorkload[];
  /** Manifest texts (package.json, requirements, build files…) for dependency tests. */
  manifests: string;
  /** Version the language manifests give, with its reason. */
  version?: { value: string; source: string };
  commands: ServiceEvidence['commands'];
  /** Build command of the service (for prebuild), e.g. "npm run build". */
  buildCommand?: string;
  notes: string[];
  /** Folders under `dir` that are other services (not scanned as this one's code). */
  skipDirs?: string[];
}

/** Language defaults when nothing says (kept in step with DEFAULT_PORTS for the spec languages). */
const LANGUAGE_PORT: Record<DetectedLanguage, number> = {
  ...DEFAULT_PORTS,
  kotlin: 8080,
  dotnet: 8080,
  rust: 8080,
  cpp: 8080,
  php: 8080,
  ruby: 3000,
  elixir: 4000,
  container: 8080,
};

/** Framework defaults that hold when nothing overrides them. */
const FRAMEWORK_PORT: Record<string, number> = {
  'spring-boot': 8080,
  fastapi: 8000,
  django: 8000,
  rails: 3000,
  phoenix: 4000,
  next: 3000,
  nestjs: 3000,
};

export function enrich(input: EnrichInput): ServiceEvidence {
  const { fs, dir, dockerfile, compose, notes } = input;
  const lang = input.language.value;
  const df = dockerfile ? safeParse(fs.read(dockerfile)) : undefined;
  const composeSvc = (dockerfile ? composeFor(compose, dockerfile) : undefined) ?? compose.services.find((s) => !s.build && s.name === input.name.value && false);
  const workload = matchWorkload(input.workloads, input.name.value, dir);
  const code = codeFacts(fs, dir, lang, input.manifests, input.skipDirs);
  const fix = (key: string, example: string) => `--${key} ${input.name.value}=${example} or services[].${key === 'port' ? 'port' : key === 'health-path' ? 'healthPath' : key}`;

  // 1. Port.
  const port = findPort(input, df, composeSvc, workload, code);
  // 2. Kind.
  const kind = findKind(input, df, composeSvc, workload, code, port);
  const ev: ServiceEvidence = {
    name: input.name,
    language: input.language,
    kind,
    commands: input.commands,
    requiredEnv: [],
    testServices: [],
  };
  if (code.framework) ev.framework = found(code.framework.value, code.framework.source);
  if (kind.value === 'cronjob' && workload?.schedule) ev.schedule = found(workload.schedule, `${workload.file} (CronJob ${workload.name}) spec.schedule`);
  const listens = kind.value === 'web' || kind.value === 'grpc';
  if (listens) {
    ev.port = port ?? guessed(LANGUAGE_PORT[lang], `nothing in the repository names the port; ${lang} default`, fix('port', String(LANGUAGE_PORT[lang])));
  }
  // 3. Probes.
  if (kind.value === 'worker') {
    const none = found<Probe>({ type: 'none' }, `a ${kind.value} has no port to probe (${kind.source ?? ''})`);
    ev.liveness = none;
    ev.readiness = none;
  } else if (listens && ev.port) {
    const [live, ready] = findProbes(input, df, composeSvc, workload, code, kind.value, ev.port.value, fix);
    ev.liveness = live;
    ev.readiness = ready;
  }
  // 4. Build.
  if (dockerfile && df) ev.build = buildFacts(fs, dir, dockerfile, df, composeSvc, input.buildCommand);
  // 5. Version: the image's runtime wins when the Dockerfile pins it.
  const fromVersion = df ? runtimeFromImage(df, lang, dockerfile!) : undefined;
  if (fromVersion) {
    ev.version = found(fromVersion.value, fromVersion.source);
    if (input.version && !sameVersion(input.version.value, fromVersion.value)) {
      notes.push(`${dir === '.' ? '' : `${dir}: `}the Dockerfile runs ${lang} ${fromVersion.value} (${fromVersion.source}) but ${input.version.source} says ${input.version.value}; using the image's ${fromVersion.value}`);
    }
  } else if (input.version) ev.version = found(input.version.value, input.version.source);
  // 6. Required environment: read without a default, and not set by the image.
  const setByImage = df ? imageEnv(df) : new Set<string>();
  const required = new Map<string, EnvVar>();
  // The port variable is not required when the code gives it a default.
  const portDefault = code.port && code.portVar ? code.portVar.value : undefined;
  for (const e of code.requiredEnv) if (!setByImage.has(e.name) && e.name !== portDefault) required.set(e.name, e);
  if (composeSvc) {
    for (const [k, v] of composeSvc.environment) {
      if (v.required && !required.has(k) && !setByImage.has(k)) required.set(k, { name: k, source: `${composeSvc.file}:${composeSvc.line} (service ${composeSvc.name}) environment \`${v.raw}\` has no value` });
    }
  }
  for (const { file, vars } of readEnvExamples(fs, dir).filter((x) => !x.file.endsWith('/.env') && x.file !== '.env')) {
    for (const [k, v] of vars) if (v.value === '' && !required.has(k) && !setByImage.has(k)) required.set(k, { name: k, source: `${file}:${v.line} \`${k}=\` (empty in the example)` });
  }
  ev.requiredEnv = [...required.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  // 7. Test services.
  testServices(input, composeSvc, ev);
  return ev;
}

function safeParse(text: string | undefined): Dockerfile | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDockerfile(text);
  } catch {
    return undefined;
  }
}

function matchWorkload(ws: ManifestWorkload[], name: string, dir: string): ManifestWorkload | undefined {
  const folder = dir.split('/').pop() ?? dir;
  return ws.find((w) => w.name === name) ?? ws.find((w) => w.name === folder) ?? ws.find((w) => w.images.some((i) => new RegExp(`[/:]${folder}(?:[:@]|$)`).test(i)));
}

function imageEnv(df: Dockerfile): Set<string> {
  const out = new Set<string>();
  const last = df.stages[df.stages.length - 1];
  for (const ins of last?.instructions ?? []) {
    if (ins.op !== 'ENV') continue;
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) out.add(m[1]!);
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+[^=]/.exec(ins.args);
    if (legacy) out.add(legacy[1]!);
  }
  return out;
}

function findPort(input: EnrichInput, df: Dockerfile | undefined, composeSvc: ComposeService | undefined, workload: ManifestWorkload | undefined, code: CodeFacts): Fact<number> | undefined {
  const { fs, dir, dockerfile, compose, notes } = input;
  const candidates: Fact<number>[] = [];
  if (workload?.containerPort) candidates.push(found(workload.containerPort, `${workload.file} (${workload.kind} ${workload.name}) containerPort ${workload.containerPort}`));
  // The compose .env gives values to variables the Dockerfile and the code read.
  const external = new Map<string, VarValue>(compose.env);
  // What compose runs beats what the Dockerfile documents (EXPOSE is never enforced).
  if (composeSvc?.ports[0]) candidates.push(found(composeSvc.ports[0].port, composeSvc.ports[0].source));
  if (df && dockerfile) {
    const e = exposedPort(df, dockerfile, external);
    if (e.found) candidates.push(found(e.found.port, e.found.source));
  }
  if (code.portVar && compose.env.get(code.portVar.value) && /^\d+$/.test(compose.env.get(code.portVar.value)!.value)) {
    const v = compose.env.get(code.portVar.value)!;
    candidates.push(found(Number(v.value), `${code.portVar.source} + ${v.source}`));
  }
  if (code.port) candidates.push(found(code.port.value, code.port.source));
  for (const { vars } of readEnvExamples(fs, dir)) {
    const key = code.portVar?.value && vars.get(code.portVar.value) ? code.portVar.value : 'PORT';
    const v = vars.get(key);
    if (v && /^\d{2,5}$/.test(v.value)) {
      candidates.push(found(Number(v.value), v.source));
      break;
    }
  }
  if (df) {
    const ep = entrypoint(df);
    const cmd = `${ep.entrypoint ?? ''} ${ep.cmd ?? ''}`;
    const m = /--port[= ]"?(\d{2,5})|-b"?,?\s*"?(?:0\.0\.0\.0|\[::\])?:(\d{2,5})|--bind[= ]"?[\w.]*:(\d{2,5})|ASPNETCORE_URLS=\S*:(\d{2,5})/.exec(cmd);
    if (m) candidates.push(found(Number(m[1] ?? m[2] ?? m[3] ?? m[4]), `${dockerfile} CMD/ENTRYPOINT \`${cmd.trim().slice(0, 80)}\``));
    const urls = df.stages.flatMap((s) => s.instructions).find((i) => i.op === 'ENV' && /ASPNETCORE_(?:HTTP_PORTS|URLS)/.test(i.args));
    const up = urls ? /ASPNETCORE_(?:HTTP_PORTS=|URLS=\S*:)(\d{2,5})/.exec(urls.args) : null;
    if (up) candidates.push(found(Number(up[1]), `${dockerfile}:${urls!.line} \`ENV ${urls!.args}\``));
  }
  const fw = code.framework?.value;
  if (fw && FRAMEWORK_PORT[fw] && candidates.length === 0) candidates.push(found(FRAMEWORK_PORT[fw], `${fw}'s default port (${code.framework!.source}; nothing overrides it)`));
  if (fw === 'aspnetcore' && candidates.length === 0 && df) {
    const base = baseImage(df)?.image ?? '';
    const v = /dotnet\/(?:aspnet|runtime|sdk):(\d+)/.exec(base);
    if (v && Number(v[1]) >= 8) candidates.push(found(8080, `ASP.NET Core ${v[1]} images listen on 8080 by default (${dockerfile} FROM ${base})`));
  }
  const first = candidates[0];
  if (first) {
    const other = candidates.find((c) => c.value !== first.value && !c.source!.includes('default port'));
    if (other) notes.push(`${dir === '.' ? '' : `${dir}: `}sources disagree on the port (${first.value} from ${first.source}; ${other.value} from ${other.source}); using ${first.value}`);
  }
  return first;
}

function findKind(input: EnrichInput, df: Dockerfile | undefined, composeSvc: ComposeService | undefined, workload: ManifestWorkload | undefined, code: CodeFacts, port: Fact<number> | undefined): Fact<ServiceKind> {
  const fix = `services[].kind (${input.name.value})`;
  if (workload?.kind === 'CronJob') return found('cronjob', `${workload.file} kind: CronJob ${workload.name}`);
  if (workload?.kind === 'Job') return found('job', `${workload.file} kind: Job ${workload.name}`);
  if (code.worker && !code.http && !code.grpc) return found('worker', code.worker.source);
  if (code.grpc && !code.http) return found('grpc', `gRPC server ${code.grpc.source}`);
  if (code.http) return found('web', `HTTP server: ${code.http.source}`);
  if (code.healthRoute) return found('web', `HTTP route ${code.healthRoute.source}`);
  if (workload?.probe?.type === 'grpc') return found('grpc', `${workload.file}:${workload.probe.line} grpc probe`);
  if (workload?.probe?.type === 'http') return found('web', `${workload.file}:${workload.probe.line} httpGet probe`);
  const ep = df ? entrypoint(df) : {};
  const cmd = `${ep.entrypoint ?? ''} ${ep.cmd ?? ''} ${composeSvc?.command ?? ''}`;
  if (/\b(locust|k6|celery\s+worker|sidekiq|rq\s+worker)\b/.test(cmd)) return found('worker', `${input.dockerfile ?? composeSvc?.file} runs \`${cmd.trim().slice(0, 60)}\``);
  const images = df ? [baseImage(df)?.image ?? '', ...(baseImage(df)?.builder ?? []).map((b) => b.image)].join(' ') : '';
  const loadgen = /\b(grafana\/k6|xk6|locustio\/locust)\b/.exec(images);
  if (loadgen && !port) return found('worker', `${input.dockerfile} is built on ${loadgen[1]} (a load generator) and exposes no port`);
  if (/\b(nginx|envoy|httpd|caddy|traefik)\b/.test(`${df ? baseImage(df)?.image : ''} ${cmd}`) && port) return found('web', `${input.dockerfile} runs ${/\b(nginx|envoy|httpd|caddy|traefik)\b/.exec(`${df ? baseImage(df)?.image : ''} ${cmd}`)![1]} (an HTTP server)`);
  if (!port) return guessed('worker', 'no port anywhere (no EXPOSE, compose ports, framework or listener in the code)', fix);
  return guessed('web', `a port (${port.value}) but no framework or route says the protocol; assumed HTTP`, fix);
}

function healthcheckPath(text: string | undefined): string | undefined {
  const m = text ? /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::[\d$\w{}]+)?(\/[^\s"'|]*)/.exec(text) : null;
  return m?.[1];
}

function findProbes(
  input: EnrichInput,
  df: Dockerfile | undefined,
  composeSvc: ComposeService | undefined,
  workload: ManifestWorkload | undefined,
  code: CodeFacts,
  kind: ServiceKind,
  port: number,
  fix: (key: string, example: string) => string,
): [Fact<Probe>, Fact<Probe>] {
  const both = (f: Fact<Probe>): [Fact<Probe>, Fact<Probe>] => [f, f];
  if (workload?.probe) {
    const p = workload.probe;
    const src = `${workload.file}:${p.line} ${p.which}Probe of ${workload.kind} ${workload.name}`;
    const pp = typeof p.port === 'number' ? p.port : port;
    if (p.type === 'http') return both(found({ type: 'http', path: p.path ?? '/', port: pp }, src));
    if (p.type === 'grpc') return both(found({ type: 'grpc', port: pp }, src));
    return both(found({ type: 'tcp', port: pp }, src));
  }
  if (kind === 'grpc') {
    if (code.grpc?.health) return both(found({ type: 'grpc', port }, `grpc.health.v1 registered: ${code.grpc.health}`));
    return both(found({ type: 'tcp', port }, `gRPC server without grpc.health.v1 (${code.grpc?.source ?? 'no health service found'}): TCP probe`));
  }
  if (code.probes) {
    const p = code.probes.port ?? port;
    return [found({ type: 'http', path: code.probes.liveness, port: p }, code.probes.source), found({ type: 'http', path: code.probes.readiness, port: p }, code.probes.source)];
  }
  if (code.healthRoute) return both(found({ type: 'http', path: code.healthRoute.value, port }, code.healthRoute.source));
  const hc = df ? healthcheck(df) : undefined;
  const hcPath = healthcheckPath(hc?.args);
  if (hc && hcPath) return both(found({ type: 'http', path: hcPath, port }, `${input.dockerfile}:${hc.line} \`HEALTHCHECK ${hc.args.slice(0, 70)}\``));
  const chPath = healthcheckPath(composeSvc?.healthcheck);
  if (composeSvc && chPath) return both(found({ type: 'http', path: chPath, port }, `${composeSvc.file}:${composeSvc.line} (service ${composeSvc.name}) healthcheck \`${composeSvc.healthcheck!.slice(0, 70)}\``));
  return both(guessed({ type: 'tcp', port }, 'no health route found in the code or config; a TCP probe only proves the port is open', fix('health-path', '/healthz')));
}

/** The runtime version a base image pins: node:20 → "20", python:3.14.6 → "3.14", golang:1.23 → "1.23". */
const IMAGE_VERSION: Partial<Record<DetectedLanguage, RegExp>> = {
  node: /(?:^|\/)node:v?(\d+)(?:[.-]|$)/,
  python: /(?:^|\/)python:(\d+\.\d+)/,
  go: /(?:^|\/)golang:(\d+\.\d+)/,
  java: /(?:^|\/)(?:eclipse-temurin|openjdk|amazoncorretto|sapmachine|ibm-semeru-runtimes|azul\/zulu-openjdk(?:-alpine)?|bellsoft\/liberica-openjdk-\w+|maven:[\w.]*-(?:eclipse-temurin|openjdk|amazoncorretto)|gradle:[\w.]*-jdk):?-?(\d+)/,
  kotlin: /(?:^|\/)(?:eclipse-temurin|openjdk|amazoncorretto|gradle:[\w.]*-jdk):?-?(\d+)/,
  dotnet: /(?:^|\/)dotnet\/(?:aspnet|runtime|sdk|runtime-deps):(\d+\.\d+)/,
  rust: /(?:^|\/)rust:(\d+\.\d+)|cargo-chef:[\w.]*-rust-(\d+\.\d+)/,
  ruby: /(?:^|\/)ruby:(\d+\.\d+)/,
  elixir: /(?:^|\/)(?:hexpm\/)?elixir:(\d+\.\d+)/,
  php: /(?:^|\/)php:(\d+\.\d+)/,
};

function runtimeFromImage(df: Dockerfile, lang: DetectedLanguage, file: string): { value: string; source: string } | undefined {
  const re = IMAGE_VERSION[lang];
  const base = baseImage(df);
  if (!re || !base) return undefined;
  // The final stage runs the code; compiled languages pin their toolchain in a builder stage.
  const order = [{ image: base.image, line: base.line }, ...(base.builder ?? []).slice().reverse()];
  for (const st of order) {
    const m = re.exec(st.image);
    if (m) return { value: (m[1] ?? m[2])!, source: `${file}:${st.line} \`FROM ${st.image.replace(/@sha256:[a-f0-9]+/, '')}\`` };
  }
  return undefined;
}

function sameVersion(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Folders from the Dockerfile's own up to the root, nearest first. */
function ancestors(dir: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== '.') {
    d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '.';
    out.push(d);
  }
  return out;
}

const BUILD_OUTPUT = /^(?:\.\/)?(dist|build|target|out|publish|bin\/Release|\.next)(\/|$)/;

function buildFacts(fs: RepoFs, dir: string, dockerfile: string, df: Dockerfile, composeSvc: ComposeService | undefined, buildCommand: string | undefined): BuildFacts {
  const sources = copySources(df);
  const dfFact = composeSvc?.build ? found(dockerfile, composeSvc.build.source) : found(dockerfile, `${dockerfile} exists`);
  const dfDir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : '.';
  let context: Fact<string>;
  let missing: string[];
  if (composeSvc?.build) {
    context = found(composeSvc.build.context, composeSvc.build.source);
    missing = missingSources(fs, composeSvc.build.context, sources);
  } else {
    const tried = ancestors(dfDir).map((c) => ({ c, missing: missingSources(fs, c, sources) }));
    const ok = tried.find((t) => t.missing.length === 0);
    // Build output (dist/, target/) is made before docker build: judge contexts without it.
    const outputOnly = tried.filter((t) => t.missing.every((m) => BUILD_OUTPUT.test(m)));
    // Where the tool that makes the output lives (nx.json, pom.xml …) is where it is built.
    const okButOutput = outputOnly.find((t) => prebuildCommand(fs, t.c, t.missing[0] ?? '', undefined)) ?? outputOnly[0];
    const pick = ok ?? okButOutput ?? tried.reduce((a, b) => (b.missing.length < a.missing.length ? b : a));
    missing = pick.missing;
    const shown = sources.slice(0, 3).map((s) => `COPY ${s.path}`).join(', ');
    context = sources.length === 0
      ? found(dfDir, `${dockerfile} copies nothing from the context; its folder`)
      : found(pick.c, pick.missing.length === 0 ? `every COPY/ADD source of ${dockerfile} exists relative to ${pick.c === '.' ? 'the repository root' : pick.c} (${shown}${sources.length > 3 ? ', …' : ''})` : pick.missing.every((m) => BUILD_OUTPUT.test(m)) ? `every COPY/ADD source of ${dockerfile} exists relative to ${pick.c === '.' ? 'the repository root' : pick.c} once ${pick.missing.join(', ')} is built` : `the folder where most COPY/ADD sources of ${dockerfile} exist`);
  }
  const out: BuildFacts = { dockerfile: dfFact, context, copySources: sources.map((s) => s.path), missingSources: missing };
  const outputs = missing.filter((m) => BUILD_OUTPUT.test(m));
  if (outputs.length) {
    const cmd = prebuildCommand(fs, context.value, outputs[0]!, buildCommand);
    if (cmd) {
      out.prebuild = found(cmd.command, `${dockerfile} copies ${outputs[0]} (build output, not in the repository) + ${cmd.why}`);
      out.missingSources = missing.filter((m) => !BUILD_OUTPUT.test(m));
    }
  }
  const ignore = [`${dockerfile}.dockerignore`, joinRel(context.value, '.dockerignore')].find((f) => fs.read(f, 1) !== undefined);
  if (ignore) out.dockerignore = ignore;
  const base = baseImage(df);
  if (base) out.baseImage = base.image;
  void dir;
  return out;
}

function prebuildCommand(fs: RepoFs, context: string, output: string, buildCommand: string | undefined): { command: string; why: string } | undefined {
  const nx = fs.read(joinRel(context, 'nx.json'), 1) !== undefined;
  const dist = /^(?:\.\/)?dist\/(?:apps\/)?([^/*]+)/.exec(output);
  if (nx && dist) return { command: `npx nx build ${dist[1]}`, why: `${joinRel(context, 'nx.json')} (Nx writes dist/…/${dist[1]})` };
  if (/^(?:\.\/)?target\//.test(output)) {
    const mvnw = fs.has(context, 'mvnw');
    if (fs.has(context, 'pom.xml')) return { command: `${mvnw ? './mvnw' : 'mvn'} -B -DskipTests package`, why: `${joinRel(context, 'pom.xml')} (Maven writes target/)` };
    if (fs.has(context, 'Cargo.toml')) return { command: 'cargo build --release', why: `${joinRel(context, 'Cargo.toml')} (cargo writes target/)` };
  }
  if (/^(?:\.\/)?build\//.test(output) && (fs.has(context, 'build.gradle') || fs.has(context, 'build.gradle.kts'))) {
    return { command: `${fs.has(context, 'gradlew') ? './gradlew' : 'gradle'} build -x test`, why: 'the Gradle build writes build/' };
  }
  if (buildCommand) return { command: buildCommand, why: `the service's build script (${buildCommand})` };
  return undefined;
}

const DB_IMAGES: [RegExp, string, string, number][] = [
  [/postgres|postgis/, 'postgres', 'postgres:17', 5432],
  [/mysql/, 'mysql', 'mysql:8', 3306],
  [/mariadb/, 'mariadb', 'mariadb:11', 3306],
  [/redis|valkey/, 'redis', 'redis:7', 6379],
  [/mongo/, 'mongo', 'mongo:7', 27017],
  [/rabbitmq/, 'rabbitmq', 'rabbitmq:3', 5672],
  [/kafka/, 'kafka', 'apache/kafka:3.9.0', 9092],
];

function testServices(input: EnrichInput, composeSvc: ComposeService | undefined, ev: ServiceEvidence): void {
  if (!ev.commands.test) return;
  if (/testcontainers/i.test(input.manifests)) {
    ev.testNote = 'the tests use Testcontainers: they start their own containers and need Docker on the runner (GitHub-hosted Ubuntu runners have it); no services: block';
    return;
  }
  const deps = composeSvc?.dependsOn ?? [];
  for (const d of deps) {
    const svc = input.compose.services.find((s) => s.name === d);
    if (!svc?.image) continue;
    const db = DB_IMAGES.find(([re]) => re.test(svc.image!));
    if (!db) continue;
    const env: Record<string, string> = {};
    for (const [k, v] of svc.environment) if (v.value !== undefined && !v.required) env[k] = v.value;
    const t: TestService = { name: d, kind: db[1], image: /\$\{|^\s*$/.test(svc.image) ? db[2] : svc.image, port: svc.ports[0]?.port ?? db[3], source: `${svc.file}:${svc.line} service ${d} (image ${svc.image}) that ${composeSvc!.name} depends on` };
    if (Object.keys(env).length) t.env = env;
    ev.testServices.push(t);
  }
  // A database URL the app requires, with no compose service to provide it.
  if (ev.testServices.length === 0 && ev.requiredEnv.some((e) => /^(DATABASE_URL|POSTGRES_|MYSQL_|DB_HOST|REDIS_URL)/.test(e.name))) {
    ev.testNote = `the app reads ${ev.requiredEnv.filter((e) => /^(DATABASE_URL|POSTGRES_|MYSQL_|DB_HOST|REDIS_URL)/.test(e.name)).map((e) => e.name).join(', ')} without a default; tests that reach the database need one (none found in compose)`;
  }
}
