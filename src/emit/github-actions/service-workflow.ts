import type { RegistryLogin, ServicePipeline, ToolchainSetup } from '../../model/types.js';
import { InternalError } from '../../errors.js';
import { pipelineFile } from '../../model/pipeline-files.js';
import { buildContextLines } from '../../model/otel.js';
import { joinPath, NODE_LOCKFILES } from '../../model/service.js';

/** Where GitHub Actions reads a pipeline from. */
export const workflowPath = (id: string): string => pipelineFile('github', id);

/** The language/tool setup steps for lint and test jobs: which block to render, with its inputs. */
function setupView(setup: ToolchainSetup) {
  const pm = setup.packageManager;
  const at = (f: string) => joinPath(setup.serviceDir, f);
  return {
    version: setup.language === 'rust' ? rustToolchain(setup.version) : setup.version,
    nodeCache: setup.language === 'node' && pm !== 'bun' ? { cache: pm, lockfile: joinPath(setup.dependencyDir, NODE_LOCKFILES[pm] ?? 'package-lock.json') } : null,
    pnpm: pm === 'pnpm' ? { packageJson: joinPath(setup.dependencyDir, 'package.json') } : null,
    corepack: pm === 'yarn',
    // Paths match the schema's safe-path pattern (no quotes), so they can sit in an expression literal.
    bun: pm === 'bun' ? { version: setup.bunVersion, hashExpr: `hashFiles('${at('bun.lock')}', '${at('bun.lockb')}')` } : null,
    uv: pm === 'uv' ? { glob: at('uv.lock') } : null,
    poetry: pm === 'poetry' ? { lockfile: at('poetry.lock') } : null,
    pip: pm === 'pip' ? { requirements: at('requirements*.txt') } : null,
    // setup-go hashes whatever this glob matches for its cache key: go.sum when the module has
    // dependencies, go.mod alone when it has none (a bare go.sum path would turn caching off).
    go: setup.language === 'go' ? { dependencyFiles: at('go.*') } : null,
    java: setup.language === 'java'
      ? {
          cache: pm === 'gradle' ? 'gradle' : 'maven',
          files: pm === 'gradle' ? [at('**/*.gradle*'), at('**/gradle-wrapper.properties')] : [at('**/pom.xml')],
        }
      : null,
    // Languages built from the team's own Dockerfile: their pinned setup actions.
    kotlin: setup.language === 'kotlin' ? { cache: pm === 'maven' ? 'maven' : 'gradle' } : null,
    // setup-dotnet takes a feature band pattern: 8.0 → 8.0.x.
    dotnet: setup.language === 'dotnet' ? { version: /^\d+\.\d+$/.test(setup.version) ? `${setup.version}.x` : setup.version } : null,
    rust: setup.language === 'rust',
    ruby: setup.language === 'ruby',
    php: setup.language === 'php',
    // No pinned setup action fits (Elixir needs an OTP version devops.yaml does not carry; C++ and
    // Dockerfile-only services use make and a compiler): the job runs in the toolchain image.
    container: ['elixir', 'cpp', 'container'].includes(setup.language) ? setup.image : null,
  };
}

/** Rust toolchains are named by release (1.83 or 1.83.0) or channel; a bare major is not one. */
function rustToolchain(version: string): string {
  return /^\d+\.\d+(\.\d+)?$/.test(version) || /^(stable|beta|nightly)/.test(version) ? version : 'stable';
}

/** Health options GitHub passes to `docker create` for a test service, by well-known image. */
function healthOptions(image: string): string | null {
  const name = image.split('@')[0]!.split(':')[0]!.split('/').pop()!;
  const check: Record<string, string> = {
    postgres: 'pg_isready',
    mysql: 'mysqladmin ping -h 127.0.0.1',
    mariadb: 'healthcheck.sh --connect --innodb_initialized',
    redis: 'redis-cli ping',
    valkey: 'valkey-cli ping',
  };
  const cmd = check[name];
  return cmd ? `--health-cmd "${cmd}" --health-interval 5s --health-timeout 5s --health-retries 20` : null;
}

/** What the tests read to reach them: their test credentials, <NAME>_HOST and <NAME>_PORT (published on localhost). */
function testEnvView(p: ServicePipeline): Record<string, string> | null {
  const env: Record<string, string> = {};
  for (const s of p.testServices ?? []) {
    Object.assign(env, s.env ?? {});
    const key = s.name.toUpperCase().replace(/-/g, '_');
    env[`${key}_HOST`] = 'localhost';
    if (s.port) env[`${key}_PORT`] = String(s.port);
  }
  return Object.keys(env).length ? env : null;
}

/** services[].testServices as GitHub job services: published on localhost at their port. */
function testServicesView(p: ServicePipeline) {
  return (p.testServices ?? []).map((s) => ({
    name: s.name,
    image: s.image,
    env: s.env && Object.keys(s.env).length ? s.env : null,
    port: s.port ?? null,
    portMap: s.port ? `${s.port}:${s.port}` : null,
    health: healthOptions(s.image),
  }));
}

/** Registry login blocks: which one the template renders, with its inputs. */
export function registryView(r: RegistryLogin) {
  const settings = <K extends RegistryLogin['kind']>(kind: K) => {
    if (r.kind !== kind) return null;
    const { kind: _kind, host: _host, ...rest } = r as Extract<RegistryLogin, { kind: K }>;
    return rest;
  };
  const ecr = settings('ecr');
  // previewRoleArn: a role for change-request builds (iac creates one); null: previews use roleArn.
  return { host: r.host, ghcr: r.kind === 'ghcr', ecr: ecr && { ...ecr, previewRoleArn: ecr.previewRoleArn ?? null }, gar: settings('gar'), acr: settings('acr') };
}

/**
 * The shared (reusable, `on: workflow_call`) workflows every service's thin caller uses. They
 * must sit directly in .github/workflows (GitHub finds no reusable workflow in a subfolder); the
 * leading underscore sorts them first and tells a reader they are called, not triggered.
 */
export const IMAGE_WORKFLOW = '_image';
export const PROMOTE_STAGING_WORKFLOW = '_promote-staging';
export const checksWorkflowId = (stack: string): string => `_checks-${stack}`;
/** `./.github/workflows/<id>.yml`: how a caller names a reusable workflow of the same repository. */
const localUse = (id: string): string => `./${workflowPath(id)}`;

/**
 * A check stack: one shared checks workflow per distinct setup block (language and, where the
 * setup differs, package manager). Only the stacks the repository's services use are written.
 */
export function stackOf(setup: ToolchainSetup): string {
  const pm = setup.packageManager;
  switch (setup.language) {
    case 'node':
      return `node-${pm === 'pnpm' || pm === 'yarn' || pm === 'bun' ? pm : 'npm'}`;
    case 'python':
      return `python-${pm === 'uv' || pm === 'poetry' ? pm : 'pip'}`;
    case 'java':
      return `java-${pm === 'gradle' ? 'gradle' : 'maven'}`;
    case 'kotlin':
      return `kotlin-${pm === 'maven' ? 'maven' : 'gradle'}`;
    default:
      return setup.language;
  }
}

/**
 * The per-service values a stack's setup takes, as `with:` inputs of the shared checks
 * workflow (name → value). The shared file's setup block reads exactly these names.
 */
function setupInputs(setup: ToolchainSetup): Record<string, string> {
  const v = setupView(setup);
  const out: Record<string, string> = {};
  if (v.container) {
    out['image'] = v.container;
    return out;
  }
  if (v.bun) {
    out['bun-version'] = v.bun.version ?? '';
    out['bun-lock'] = joinPath(setup.serviceDir, 'bun.lock');
    out['bun-lockb'] = joinPath(setup.serviceDir, 'bun.lockb');
    return out;
  }
  out['version'] = v.dotnet ? v.dotnet.version : v.version;
  if (v.nodeCache) out['lockfile'] = v.nodeCache.lockfile;
  if (v.pnpm) out['package-json'] = v.pnpm.packageJson;
  if (v.uv) out['cache-dependency-glob'] = v.uv.glob;
  if (v.poetry) out['lockfile'] = v.poetry.lockfile;
  if (v.pip) out['requirements'] = v.pip.requirements;
  if (v.go) out['dependency-files'] = v.go.dependencyFiles;
  if (v.java) out['cache-dependency-path'] = v.java.files.join('\n');
  return out;
}

/** What each setup input of a shared checks workflow is (its `description:`). */
const INPUT_DESCRIPTIONS: Record<string, string> = {
  image: 'The toolchain image the jobs run in.',
  version: 'The toolchain version.',
  'bun-version': 'The Bun release.',
  'bun-lock': 'The bun.lock path (cache key).',
  'bun-lockb': 'The bun.lockb path (cache key).',
  lockfile: 'The lockfile (cache key).',
  'package-json': 'The package.json whose packageManager field names the pnpm version.',
  'cache-dependency-glob': 'Glob of the uv lockfile (cache key).',
  requirements: 'Glob of the requirements files (cache key).',
  'dependency-files': 'Glob of go.mod and go.sum (cache key).',
  'cache-dependency-path': 'Build files the cache key hashes, one per line.',
};

/** The setup block a stack's shared checks workflow renders (values come from its inputs). */
function stackSetupView(setup: ToolchainSetup) {
  const v = setupView(setup);
  return {
    corepack: v.corepack,
    pnpm: Boolean(v.pnpm),
    nodeCache: v.nodeCache?.cache ?? null,
    bun: Boolean(v.bun),
    uv: Boolean(v.uv),
    poetry: Boolean(v.poetry),
    pip: Boolean(v.pip),
    go: Boolean(v.go),
    java: v.java?.cache ?? null,
    kotlin: v.kotlin?.cache ?? null,
    dotnet: Boolean(v.dotnet),
    rust: v.rust,
    ruby: v.ruby,
    php: v.php,
    container: Boolean(v.container),
  };
}

/** Whether a service's test job runs inline in its caller: job `services:` cannot be passed as inputs. */
const inlineTest = (p: ServicePipeline): boolean => (p.testServices?.length ?? 0) > 0 && p.checks.some((c) => c.id === 'test');
/** The checks the shared checks workflow runs for a service (all but an inline test job). */
export const calledChecks = (p: ServicePipeline) => p.checks.filter((c) => !(inlineTest(p) && c.id === 'test'));

/** The shared checks workflow of one stack, from the services that use it. */
export function checksWorkflowData(stack: string, pipelines: ServicePipeline[], runner: string): Record<string, unknown> {
  const first = pipelines[0]!;
  const timeout = (id: string) => Math.max(0, ...pipelines.flatMap((p) => calledChecks(p).filter((c) => c.id === id).map((c) => c.timeoutMinutes)));
  return {
    stack,
    runner,
    setup: stackSetupView(first.setup),
    inputs: Object.keys(setupInputs(first.setup)).map((name) => ({ name, description: INPUT_DESCRIPTIONS[name] ?? name })),
    // Only the check jobs some caller runs (a test job with containers runs in its caller).
    checks: [
      { id: 'lint', title: 'Lint', timeout: timeout('lint'), commandExpr: 'inputs.lint' },
      { id: 'test', title: 'Test', timeout: timeout('test'), commandExpr: 'inputs.test' },
    ].filter((c) => pipelines.some((p) => calledChecks(p).some((x) => x.id === c.id))),
  };
}

/** The shared image workflow: build, scan, push, sign/attest, for the repository's registry. */
export function imageWorkflowData(pipelines: ServicePipeline[], runner: string, repository: string): Record<string, unknown> {
  const first = pipelines[0]!;
  for (const p of pipelines) {
    // The shared workflow derives these names from the service; the model must agree.
    if (p.image.sarif !== `trivy-${p.service}.sarif` || p.image.cacheScope !== p.service) {
      throw new InternalError(`${p.id}: image sarif/cache scope no longer follow the service name; pass them as inputs of ${IMAGE_WORKFLOW}.yml`);
    }
    if (JSON.stringify(p.registry) !== JSON.stringify(first.registry) || p.signing !== first.signing || p.defaultBranch !== first.defaultBranch) {
      throw new InternalError(`${p.id}: services differ in registry, signing or default branch; ${IMAGE_WORKFLOW}.yml holds one`);
    }
  }
  return {
    branch: first.defaultBranch,
    runner,
    repository,
    pushExpr: `github.event_name == 'push'`,
    registry: registryView(first.registry),
    signing: { cosign: first.signing === 'cosign', attestation: first.signing === 'attestation' },
  };
}

/** The shared staging promotion: pin the digest in the service's staging overlay through a pull request. */
export function promoteStagingWorkflowData(pipelines: ServicePipeline[], runner: string): Record<string, unknown> {
  const first = pipelines[0]!.promote!;
  for (const p of pipelines) {
    const promote = p.promote!;
    if (promote.kustomization !== `${promote.overlayDir}/kustomization.yaml` || promote.branch !== `promote-staging/${p.service}`) {
      throw new InternalError(`${p.id}: the staging promotion's kustomization or branch no longer follows the overlay and service; pass them as inputs of ${PROMOTE_STAGING_WORKFLOW}.yml`);
    }
    if (promote.kustomizeVersion !== first.kustomizeVersion || promote.token !== first.token) {
      throw new InternalError(`${p.id}: services differ in kustomize version or promotion token; ${PROMOTE_STAGING_WORKFLOW}.yml holds one`);
    }
  }
  return { runner, kustomizeVersion: first.kustomizeVersion, mintAppToken: first.token === 'app', branch: pipelines[0]!.defaultBranch };
}

/**
 * Path filters: a service below the root only runs for its own folder, this workflow file, the
 * shared workflows it calls to check and build (a change to how images are built is tested on
 * every service it affects) and what it builds from; paths it must never run for (the GitOps
 * folder, where promotions commit) become negative patterns when they sit inside its folder.
 * GitHub forbids `paths` and `paths-ignore` together, so a root service (no filter) uses
 * `paths-ignore` instead.
 */
function callerTriggerPaths(p: ServicePipeline): { paths: string[] | null; pathsIgnore: string[] | null } {
  if (p.paths === undefined) return { paths: null, pathsIgnore: p.ignorePaths.length ? p.ignorePaths : null };
  const [folder, ...rest] = p.paths;
  const shared = [...(calledChecks(p).length ? [checksWorkflowId(stackOf(p.setup))] : []), IMAGE_WORKFLOW].map(workflowPath);
  // A named build context's folder (the OpenTelemetry lock) is an input of the image too.
  const contextPaths = Object.values(p.image.namedContexts()).map((dir) => `${dir}/**`).sort();
  const paths = [folder!, workflowPath(p.id), ...shared, ...rest, ...contextPaths];
  for (const ignore of p.ignorePaths) if (ignore.startsWith(`${p.setup.serviceDir}/`)) paths.push(`!${ignore}`);
  return { paths: [...new Set(paths)], pathsIgnore: null };
}

/** Everything templates/github/service-workflow.yml.hbs (the thin caller) needs for one service. */
export function serviceWorkflowData(p: ServicePipeline, runner: string, repository: string): Record<string, unknown> {
  const branch = p.defaultBranch;
  const promote = p.promote;
  const inline = inlineTest(p);
  const called = calledChecks(p);
  const inlineCheck = inline ? p.checks.find((c) => c.id === 'test')! : null;
  const checksWith: Record<string, string> = { 'working-directory': p.setup.serviceDir, ...setupInputs(p.setup) };
  const install = p.install.command.trim();
  if (install) checksWith['install'] = install;
  if (install && p.install.dir) checksWith['install-directory'] = p.install.dir;
  for (const c of called) checksWith[c.id] = c.command;
  const imageWith: Record<string, string> = { service: p.service, image: p.image.repository, context: p.image.context, dockerfile: p.image.dockerfile };
  if (p.image.prebuild) imageWith['prebuild'] = p.image.prebuild;
  const contexts = buildContextLines(p.image.namedContexts());
  if (contexts.length) imageWith['build-contexts'] = contexts.join('\n');
  const needs = [...(called.length ? ['checks'] : []), ...(inlineCheck ? ['test'] : [])];
  return {
    name: p.id,
    svc: { name: p.service, path: p.setup.serviceDir },
    branch,
    // Pull requests cancel superseded runs; pushes to the default branch never stop mid-publish
    // and each has its own group (a pending environment approval must not hold later pushes).
    cancelExpr: `github.ref != 'refs/heads/${branch}'`,
    concurrencyKey: `github.event_name == 'push' && github.sha || github.ref`,
    ...callerTriggerPaths(p),
    runner,
    repository,
    checksUse: called.length ? localUse(checksWorkflowId(stackOf(p.setup))) : null,
    checksFile: called.length ? `${checksWorkflowId(stackOf(p.setup))}.yml` : null,
    imageFile: `${IMAGE_WORKFLOW}.yml`,
    checksWith,
    imageUse: localUse(IMAGE_WORKFLOW),
    imageWith,
    needs,
    registry: registryView(p.registry),
    signing: { cosign: p.signing === 'cosign', attestation: p.signing === 'attestation' },
    // The test job with containers beside it (services[].testServices) stays in this file.
    inlineTest: inlineCheck
      ? {
          id: inlineCheck.id,
          title: inlineCheck.title,
          command: inlineCheck.command,
          timeout: inlineCheck.timeoutMinutes,
          install: install || null,
          installDir: p.install.dir ?? null,
          setup: setupView(p.setup),
          testServices: testServicesView(p),
          testEnv: testEnvView(p),
        }
      : null,
    promote: promote
      ? {
          use: localUse(PROMOTE_STAGING_WORKFLOW),
          overlay: promote.overlayDir,
          digestExpr: 'needs.image.outputs.digest',
          mintAppToken: promote.token === 'app',
        }
      : null,
  };
}
