import type { RegistryLogin, ServicePipeline, ToolchainSetup } from '../../model/types.js';
import { pipelineFile } from '../../model/pipeline-files.js';
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
 * Path filters: a service below the root only runs for its own folder, this workflow file and
 * what it builds from; paths it must never run for (the GitOps folder, where promotions
 * commit) become negative patterns when they sit inside its folder. GitHub forbids `paths`
 * and `paths-ignore` together, so a root service (no filter) uses `paths-ignore` instead.
 */
function triggerPaths(p: ServicePipeline): { paths: string[] | null; pathsIgnore: string[] | null } {
  const self = workflowPath(p.id);
  if (p.paths === undefined) return { paths: null, pathsIgnore: p.ignorePaths.length ? p.ignorePaths : null };
  const [folder, ...rest] = p.paths;
  const paths = [folder!, self, ...rest];
  for (const ignore of p.ignorePaths) if (ignore.startsWith(`${p.setup.serviceDir}/`)) paths.push(`!${ignore}`);
  return { paths: [...new Set(paths)], pathsIgnore: null };
}

/** Everything templates/github/service-workflow.yml.hbs needs for one service. */
export function serviceWorkflowData(p: ServicePipeline, runner: string, repository: string): Record<string, unknown> {
  const branch = p.defaultBranch;
  const promote = p.promote;
  return {
    name: p.id,
    svc: { name: p.service, path: p.setup.serviceDir },
    branch,
    // Pull requests cancel superseded runs; pushes to the default branch never stop mid-publish
    // and each has its own group (a pending environment approval must not hold later pushes).
    cancelExpr: `github.ref != 'refs/heads/${branch}'`,
    concurrencyKey: `github.event_name == 'push' && github.sha || github.ref`,
    pushExpr: `github.event_name == 'push'`,
    ...triggerPaths(p),
    runner,
    repository,
    // An empty install (a Dockerfile-only service) is no step at all.
    install: p.install.command.trim() || null,
    testServices: testServicesView(p),
    testEnv: testEnvView(p),
    prebuild: p.image.prebuild ?? null,
    installDir: p.install.dir ?? null,
    checks: p.checks.map((c) => ({ id: c.id, title: c.title, command: c.command, timeout: c.timeoutMinutes })),
    needs: p.checks.map((c) => c.id),
    setup: setupView(p.setup),
    image: { repository: p.image.repository, context: p.image.context, file: p.image.dockerfile, workspace: p.image.workspace, scope: p.image.cacheScope, scanTag: p.image.scanTag, sarif: p.image.sarif },
    registry: registryView(p.registry),
    signing: { cosign: p.signing === 'cosign', attestation: p.signing === 'attestation' },
    promote: promote
      ? {
          overlay: promote.overlayDir,
          kustomization: promote.kustomization,
          kustomizeVersion: promote.kustomizeVersion,
          // Its own branch namespace: the production promote workflow uses promote/<service>.
          branch: promote.branch,
          // An app credential is a GitHub App token minted per run (actions/create-github-app-token).
          mintAppToken: promote.token === 'app',
        }
      : null,
  };
}
