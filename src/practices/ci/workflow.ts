import { UsageError } from '../../errors.js';
import type { Service, Spec } from '../../spec/types.js';
import { imageRepository, registryHost } from '../shared/image.js';
import { KUSTOMIZE_VERSION, appTokenPromotion } from '../gitops/index.js';
import { gitopsDir, overlayDir } from '../gitops/model.js';
import { BUN_VERSION } from './versions.js';

/** Where a workflow for a service lives. */
export function serviceWorkflowPath(svc: Service): string {
  return `.github/workflows/ci-${svc.name}.yml`;
}

/** A Node service inside an npm/pnpm/yarn workspace installs and builds from the workspace root. */
export function isWorkspaceMember(svc: Service): boolean {
  return svc.language === 'node' && svc.workspaceRoot !== undefined && svc.workspaceRoot !== svc.path;
}

/** `a/b` joined POSIX-style, where '.' is the repository root. */
export function joinPath(dir: string, file: string): string {
  return dir === '.' ? file : `${dir}/${file}`;
}

const LOCKFILES: Record<string, string> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' };

/** The language/tool setup steps for lint and test jobs: which block to render, with its inputs. */
function setupView(svc: Service) {
  const pm = svc.packageManager;
  const depsDir = isWorkspaceMember(svc) ? svc.workspaceRoot! : svc.path;
  const at = (f: string) => joinPath(svc.path, f);
  return {
    version: svc.version,
    nodeCache: svc.language === 'node' && pm !== 'bun' ? { cache: pm, lockfile: joinPath(depsDir, LOCKFILES[pm] ?? 'package-lock.json') } : null,
    pnpm: pm === 'pnpm' ? { packageJson: joinPath(depsDir, 'package.json') } : null,
    corepack: pm === 'yarn',
    // Paths match the schema's safe-path pattern (no quotes), so they can sit in an expression literal.
    bun: pm === 'bun' ? { version: BUN_VERSION, hashExpr: `hashFiles('${at('bun.lock')}', '${at('bun.lockb')}')` } : null,
    uv: pm === 'uv' ? { glob: at('uv.lock') } : null,
    poetry: pm === 'poetry' ? { lockfile: at('poetry.lock') } : null,
    pip: pm === 'pip' ? { requirements: at('requirements*.txt') } : null,
    // setup-go hashes whatever this glob matches for its cache key: go.sum when the module has
    // dependencies, go.mod alone when it has none (a bare go.sum path would turn caching off).
    go: svc.language === 'go' ? { dependencyFiles: at('go.*') } : null,
    java: svc.language === 'java'
      ? {
          cache: pm === 'gradle' ? 'gradle' : 'maven',
          files: pm === 'gradle' ? [at('**/*.gradle*'), at('**/gradle-wrapper.properties')] : [at('**/pom.xml')],
        }
      : null,
  };
}

/** Registry login inputs; ECR/GAR/ACR need their OIDC settings in devops.yaml. */
export function registryView(spec: Spec, svc: Service) {
  const { registry, aws, gcp, azure } = spec.ci;
  const missing = (section: string, fields: string) =>
    new UsageError(`ci.registry is ${registry} but ci.${section} is not set in devops.yaml.`, `Add ci.${section} with ${fields} (OIDC: no long-lived keys).`);
  if (registry === 'ecr' && !aws) throw missing('aws', 'region and roleArn');
  if (registry === 'gar' && !gcp) throw missing('gcp', 'location, project, workloadIdentityProvider and serviceAccount');
  if (registry === 'acr' && !azure) throw missing('azure', 'registry, clientId, tenantId and subscriptionId');
  return {
    host: registryHost(spec, svc),
    ghcr: registry === 'ghcr',
    ecr: registry === 'ecr' ? aws! : null,
    gar: registry === 'gar' ? gcp! : null,
    acr: registry === 'acr' ? azure! : null,
  };
}

/**
 * The staging promotion job (only with the gitops practice). The overlay path and the
 * kustomize version come from the gitops practice, so CI edits exactly the file it renders.
 */
function promoteView(spec: Spec, svc: Service) {
  if (!spec.practices.includes('gitops')) return null;
  const overlay = overlayDir(spec, svc, 'staging');
  const appToken = spec.gitops.promotion === 'app-token';
  return {
    overlay,
    kustomization: `${overlay}/kustomization.yaml`,
    kustomizeVersion: KUSTOMIZE_VERSION,
    // Its own branch namespace: the production promote workflow uses promote/<service>.
    branch: `promote-staging/${svc.name}`,
    // Mint an App token with the same settings as the promote workflow once the action has
    // a verified pin; until then app-token mode reads a stored token (PROMOTION_TOKEN).
    mintAppToken: appToken && appTokenPromotion(spec),
    storedToken: appToken && !appTokenPromotion(spec),
  };
}

/** Path filters: a service not at the root (or one of several) only runs for its own changes. */
function triggerPaths(spec: Spec, svc: Service): { paths: string[] | null; pathsIgnore: string[] | null } {
  // Promotion commits touch only the GitOps folder; without ignoring it a merged promotion
  // would rebuild the same code and open the next promotion, forever.
  const gitops = spec.practices.includes('gitops') ? `${gitopsDir(spec)}/**` : null;
  // A service at the root sees every change anyway ('**'), so only sub-folder services filter.
  if (svc.path === '.') return { paths: null, pathsIgnore: gitops ? [gitops] : null };
  const paths = [`${svc.path}/**`, serviceWorkflowPath(svc)];
  if (!svc.dockerfile.startsWith(`${svc.path}/`)) paths.push(svc.dockerfile);
  if (isWorkspaceMember(svc)) {
    const root = svc.workspaceRoot!;
    paths.push(joinPath(root, 'package.json'), joinPath(root, LOCKFILES[svc.packageManager] ?? 'package-lock.json'));
    if (svc.packageManager === 'pnpm') paths.push(joinPath(root, 'pnpm-workspace.yaml'));
  }
  // GitHub forbids paths and paths-ignore together: exclude the GitOps folder with a
  // negative pattern when it sits inside the service's folder.
  if (gitops && gitops.startsWith(`${svc.path}/`)) paths.push(`!${gitops}`);
  return { paths: [...new Set(paths)], pathsIgnore: null };
}

/** Everything templates/ci/service-workflow.yml.hbs needs for one service. */
export function serviceWorkflowData(spec: Spec, svc: Service): Record<string, unknown> {
  const checks = [
    svc.commands.lint ? { id: 'lint', title: 'Lint', command: svc.commands.lint, timeout: 10 } : null,
    svc.commands.test ? { id: 'test', title: 'Test', command: svc.commands.test, timeout: 15 } : null,
  ].filter((c) => c !== null);
  const workspace = isWorkspaceMember(svc);
  const branch = spec.project.defaultBranch;
  return {
    name: `ci-${svc.name}`,
    svc: { name: svc.name, path: svc.path },
    branch,
    // Pull requests cancel superseded runs; pushes to the default branch never stop mid-publish.
    cancelExpr: `github.ref != 'refs/heads/${branch}'`,
    pushExpr: `github.event_name == 'push'`,
    ...triggerPaths(spec, svc),
    runner: spec.ci.runner,
    install: svc.commands.install,
    installDir: workspace ? svc.workspaceRoot! : null,
    checks,
    needs: checks.map((c) => c.id),
    setup: setupView(svc),
    image: {
      repository: imageRepository(spec, svc),
      context: workspace ? svc.workspaceRoot! : svc.path,
      file: svc.dockerfile,
      workspace,
      scope: svc.name,
      scanTag: `${svc.name}:scan`,
      sarif: `trivy-${svc.name}.sarif`,
    },
    registry: registryView(spec, svc),
    signing: { cosign: spec.ci.signing === 'cosign', attestation: spec.ci.signing === 'attestation' },
    promote: promoteView(spec, svc),
  };
}
