import { posix } from 'node:path';
import type { ServiceModel } from '../../model/types.js';
import { buildContext, isWorkspaceMember, joinPath } from '../../model/service.js';
import { OTEL_NODE_CONTEXT } from '../../model/otel.js';
import { SEEDED_LANGUAGES, type SeededLanguage, type Service } from '../../spec/types.js';
import { BUN_VERSION, GRADLE_VERSION, MAVEN_VERSION, OTEL, POETRY_VERSION, UV_VERSION, baseImageVersion } from './versions.js';

/** Whether devops-init seeds a Dockerfile for this service's language (others bring their own). */
export function seedsDockerfile(svc: Service): svc is Service & { language: SeededLanguage } {
  return (SEEDED_LANGUAGES as readonly string[]).includes(svc.language);
}

/** Which Dockerfile template a service gets. */
export function dockerTemplate(svc: Service): string {
  if (svc.packageManager === 'bun') return 'ci/docker/bun.Dockerfile.hbs';
  return `ci/docker/${svc.language}.Dockerfile.hbs`;
}

/**
 * Where the .dockerignore that applies to this Dockerfile lives. BuildKit first looks
 * for `<Dockerfile>.dockerignore` beside the Dockerfile, then `.dockerignore` at the
 * context root; workspace members build from the workspace root, so they get the former.
 */
export function dockerignorePath(svc: Service): string {
  if (isWorkspaceMember(svc)) return `${svc.dockerfile}.dockerignore`;
  return joinPath(svc.path, '.dockerignore');
}

/**
 * services[].start as exec-form argv. The schema allows single spaces between words and no
 * quotes, backslashes or shell syntax, so splitting on ' ' is exact.
 */
export function startArgv(svc: Service): string[] | null {
  return svc.start ? svc.start.split(' ') : null;
}

/**
 * Python's CMD when no start command is known: stop with a message that names the fix rather
 * than run a guessed file. A JSON string literal is also a valid Python string literal.
 */
function missingPythonStart(svc: Service): string[] {
  const message = `${svc.name}: no start command. Set services[].start in devops.yaml and the CMD in ${svc.dockerfile}.`;
  return ['python', '-c', `raise SystemExit(${JSON.stringify(message)})`];
}

/**
 * Whether a Maven service builds with its wrapper: detection writes `./mvnw` (or `sh ./mvnw`)
 * into the commands when the repository has one and `mvn` when it has not.
 */
export function usesMavenWrapper(svc: Service): boolean {
  return usesWrapper(svc, 'mvnw');
}

/** Whether a service's commands run a build wrapper script (`./mvnw`, `./gradlew`, or through `sh`). */
export function usesWrapper(svc: Service, script: 'mvnw' | 'gradlew'): boolean {
  const c = svc.commands;
  const re = new RegExp(`(^|[\\s;&|])(sh )?\\./${script}\\b`);
  return [c.install, c.build, c.test, c.lint].some((cmd) => typeof cmd === 'string' && re.test(cmd));
}

/**
 * Data for the Dockerfile templates, read at emit time: whether the image carries
 * OpenTelemetry zero-code instrumentation is the observability practice's contribution.
 */
export function dockerfileData(model: ServiceModel, provider: 'github' | 'gitlab' = 'github'): Record<string, unknown> {
  const svc = model.spec;
  if (!seedsDockerfile(svc)) throw new Error(`no seeded Dockerfile for ${svc.language}`);
  const base = baseImageVersion(svc.language, svc.version);
  const pm = svc.packageManager;
  const workspace = isWorkspaceMember(svc);
  const otel = model.instrumented;
  const start = startArgv(svc);
  const lock = otelLock(model);
  // The Node template installs OpenTelemetry only from the lock's named context.
  if (otel && svc.language === 'node' && svc.packageManager !== 'bun' && !lock) throw new Error(`${svc.name}: instrumented Node service without the OpenTelemetry lock's build context`);
  return {
    svc: { name: svc.name, port: svc.port, healthPath: svc.healthPath },
    version: base.version,
    floating: base.floating,
    // Every spec value below enters the Dockerfile as a JSON string (exec form), never raw.
    build: svc.commands.build ?? null,
    start,
    // Python: opentelemetry-instrument wraps the server so the SDK starts before the app.
    cmd: start && otel && svc.language === 'python' && start[0] !== 'opentelemetry-instrument' ? ['opentelemetry-instrument', ...start] : start,
    missingStart: svc.language === 'python' ? missingPythonStart(svc) : null,
    otel,
    npm: pm === 'npm',
    pnpm: pm === 'pnpm',
    yarn: pm === 'yarn',
    uv: pm === 'uv',
    poetry: pm === 'poetry',
    pip: pm === 'pip',
    gradle: pm === 'gradle',
    maven: pm === 'maven',
    // No mvnw: mvn from the official Maven image on the same Temurin major (the JDK stage's tag otherwise).
    gradleImage: pm === 'gradle' && !usesWrapper(svc, 'gradlew') ? `gradle:${GRADLE_VERSION}-jdk${base.version.split('.')[0]}` : null,
    mavenImage: pm === 'maven' && !usesMavenWrapper(svc) ? `maven:${MAVEN_VERSION}-eclipse-temurin-${base.version.split('.')[0]}` : null,
    // The OpenTelemetry Java agent comes from Maven Central through Maven (checksums enforced).
    agentImage: `maven:${MAVEN_VERSION}-eclipse-temurin-${base.version.split('.')[0]}`,
    workspace: workspace ? { dir: posix.relative(svc.workspaceRoot === '.' ? '' : svc.workspaceRoot!, svc.path) } : null,
    bunVersion: BUN_VERSION,
    uvVersion: UV_VERSION,
    poetryVersion: POETRY_VERSION,
    otelVersions: OTEL,
    // Node: OpenTelemetry from the shared lock, read through the named build context observability adds.
    otelLock: lock,
    // Who bumps the base images: Dependabot's docker ecosystem on GitHub; on GitLab, Renovate (docs/gitlab-ci.md).
    updater: provider === 'gitlab' ? 'Renovate (docs/gitlab-ci.md)' : 'Dependabot (docker)',
  };
}

/**
 * Where a Node image's OpenTelemetry lock comes from: the named build context observability
 * gives the service, and the `docker build` line that passes it (run from the repository root).
 */
function otelLock(model: ServiceModel): Record<string, string> | null {
  const dir = model.buildContexts[OTEL_NODE_CONTEXT];
  if (!model.instrumented || model.spec.language !== 'node' || dir === undefined) return null;
  return { context: OTEL_NODE_CONTEXT, dir, dockerfile: model.spec.dockerfile, buildContext: buildContext(model.spec) };
}

/** Data for the .dockerignore template. */
export function dockerignoreData(svc: Service): Record<string, unknown> {
  return { language: svc.language, node: svc.language === 'node', python: svc.language === 'python', go: svc.language === 'go', java: svc.language === 'java' };
}
