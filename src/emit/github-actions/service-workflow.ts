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
    version: setup.version,
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
  };
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
    // Pull requests cancel superseded runs; pushes to the default branch never stop mid-publish.
    cancelExpr: `github.ref != 'refs/heads/${branch}'`,
    pushExpr: `github.event_name == 'push'`,
    ...triggerPaths(p),
    runner,
    repository,
    install: p.install.command,
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
