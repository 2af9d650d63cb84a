import type { InfraEnvironment, InfraModel, Model } from '../../model/types.js';
import type { Emitter, FileSpec } from '../types.js';
import { object, str, stringMap, strList } from './hcl.js';

/** The local modules and the files each has (tests run offline with a mocked provider). */
const MODULE_FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'] as const;
/** Every local module (the plan pipeline tests whatever folders infra/modules holds); the OIDC module is the CI provider's. */
export const TERRAFORM_MODULES = ['network', 'eks', 'ecr', 'rds', 'github-oidc', 'state-bucket'] as const;

/** The modules of an infrastructure: the OIDC identities module trusts the CI provider's issuer. */
export function terraformModules(infra: InfraModel): string[] {
  const oidc = `${infra.ciIssuer.provider}-oidc`;
  return TERRAFORM_MODULES.map((m) => (m === 'github-oidc' ? oidc : m));
}

/** What the templates need to know about the OIDC issuer (GitHub's is fixed in its module). */
function oidcData(infra: InfraModel): Record<string, unknown> {
  return { gitlab: infra.ciIssuer.provider === 'gitlab', url: infra.ciIssuer.url, audience: infra.ciIssuer.audience };
}

/** What an environment root passes to the rds module for each database, keyed by service. */
function databases(env: InfraEnvironment): string {
  return object(
    env.databases.map((d) => [
      d.service,
      object(
        [
          ['identifier', str(d.identifier)],
          ['namespace', str(d.namespace)],
          ['service_account', str(d.serviceAccount)],
        ],
        4,
      ),
    ] as const),
    2,
  );
}

/** The identities an environment root creates: the image push roles live with the registry. */
function ciRoles(infra: InfraModel, env: InfraEnvironment): { name: string; description: string; subjects: string; preview: boolean }[] {
  return infra.identities
    .filter((i) => (i.purpose === 'image-push' || i.purpose === 'preview-push') && i.environment === env.name)
    .map((i) => ({
      name: i.name,
      description: i.purpose === 'image-push' ? `CI pushes service images from ${infra.defaultBranch}` : `CI pushes preview images from ${infra.ciIssuer.provider === 'gitlab' ? 'merge' : 'pull'} requests`,
      subjects: strList(i.subjects),
      preview: i.purpose === 'preview-push',
    }));
}

function rootData(infra: InfraModel, env: InfraEnvironment): Record<string, unknown> {
  const registry = infra.registry && infra.registry.environment === env.name ? infra.registry : undefined;
  return {
    env: env.name,
    production: env.name === 'production',
    project: infra.project,
    repository: infra.repository,
    accountId: env.accountId,
    region: env.region,
    state: { ...env.state, kmsKeyId: `arn:aws:kms:${env.state.region}:${env.accountId}:${env.state.kmsAlias}` },
    // Objects and lists are written here (keys aligned as terraform fmt does); scalars go through {{hcl}}.
    tags: stringMap(env.tags, 4),
    name: env.cluster.name,
    network: { cidr: env.network.cidr, azCount: env.network.azCount, singleNat: env.network.natGateways === 'single' },
    cluster: {
      version: env.cluster.version,
      instanceTypes: strList(env.cluster.instanceTypes),
      nodes: env.cluster.nodes,
      publicAccessCidrs: strList(env.cluster.publicAccessCidrs),
      kubeconfigCommand: env.cluster.kubeconfigCommand,
    },
    hasDatabases: env.databases.length > 0,
    databases: databases(env),
    database: env.database,
    registry: registry ? {
      repositories: stringMap(Object.fromEntries(registry.repositories.map((r) => [r.service, r.name])), 2),
      pullAccounts: strList(registry.pullAccounts),
      // Each push role writes only its own repositories: release images, or preview images.
      releaseKeys: strList(registry.repositories.filter((r) => !r.preview).map((r) => r.service)),
      previewKeys: registry.repositories.some((r) => r.preview) ? strList(registry.repositories.filter((r) => r.preview).map((r) => r.service)) : null,
    } : null,
    ciRoles: ciRoles(infra, env),
    oidc: oidcData(infra),
  };
}

/** The bootstrap root: one entry per AWS account, with the environments that live in it. */
function bootstrapData(infra: InfraModel): Record<string, unknown> {
  const accounts = new Map<string, InfraEnvironment[]>();
  for (const e of infra.environments) accounts.set(e.accountId, [...(accounts.get(e.accountId) ?? []), e]);
  const first = infra.environments[0]!;
  return {
    project: infra.project,
    repository: infra.repository,
    region: first.region,
    kmsAlias: first.state.kmsAlias,
    accounts: object(
      [...accounts].map(([account, envs]) => [
        account,
        object(
          [
            ['bucket', str(envs[0]!.state.bucket)],
            ['environments', strList(envs.map((e) => e.name))],
          ],
          4,
        ),
      ] as const),
      2,
    ),
    accountIds: [...accounts.keys()],
    tags: stringMap({ ...first.tags, environment: 'bootstrap' }, 4),
    branchSubject: `ref:refs/heads/${infra.defaultBranch}`,
    defaultBranch: infra.defaultBranch,
    oidc: oidcData(infra),
    // The Terraform roles' subjects (the same in every environment), from the model.
    planSubjects: strList(infra.identities.find((i) => i.purpose === 'terraform-plan')!.subjects),
    applySubjects: strList(infra.identities.find((i) => i.purpose === 'terraform-apply')!.subjects),
  };
}

/** Terraform: the local modules, one root per environment, the bootstrap root, ignore rules. */
export const terraformEmitter: Emitter = {
  id: 'terraform',
  emit(model: Model): FileSpec[] {
    const infra = model.infra;
    if (!infra || infra.tool !== 'terraform') return [];
    const owner = infra.owner;
    const dir = infra.dir;
    const file = (path: string, template: string, data: Record<string, unknown> = {}, ownership: FileSpec['ownership'] = 'managed'): FileSpec => ({
      path,
      template: `terraform/${template}`,
      data,
      ownership,
      practice: owner,
    });
    const files: FileSpec[] = [file(`${dir}/.gitignore`, 'gitignore.hbs')];
    for (const m of terraformModules(infra)) {
      for (const f of MODULE_FILES) files.push(file(`${dir}/modules/${m}/${f}`, `${infra.cloud}/modules/${m}/${f}.hbs`));
      files.push(file(`${dir}/modules/${m}/tests/${m}.tftest.hcl`, `${infra.cloud}/modules/${m}/tests/${m}.tftest.hcl.hbs`));
    }
    for (const env of infra.environments) {
      const data = rootData(infra, env);
      for (const f of MODULE_FILES) files.push(file(`${env.root}/${f}`, `${infra.cloud}/env/${f}.hbs`, data));
      // Team-owned inputs (who administers the cluster): written once, never overwritten.
      files.push(file(`${env.root}/terraform.tfvars`, `${infra.cloud}/env/terraform.tfvars.hbs`, data, 'seeded'));
    }
    const boot = bootstrapData(infra);
    for (const f of MODULE_FILES) files.push(file(`${dir}/bootstrap/${f}`, `${infra.cloud}/bootstrap/${f}.hbs`, boot));
    return files;
  },
};
