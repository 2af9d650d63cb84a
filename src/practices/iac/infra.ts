import { environmentNamespace } from '../../model/labels.js';
import type { CiIdentity, InfraEnvironment, InfraModel } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { IAC_ENVIRONMENTS, type IacEnvironmentName } from './config.js';
import {
  INFRA_DIR,
  REGISTRY_ENVIRONMENT,
  applyRoleName,
  clusterName,
  databaseIdentifier,
  ecrHost,
  ecrRepositoryName,
  imagePushRoleName,
  planRoleName,
  previewPushRoleName,
  roleArn,
  rootDir,
  stateBucket,
  stateKey,
  stateKmsAlias,
} from './names.js';

/** The account of an environment (validation guarantees it once iac is enabled). */
export function accountOf(spec: Spec, env: IacEnvironmentName): string {
  return spec.iac.environments[env].accountId ?? '000000000000';
}

/** Tags on every resource of an environment: the team's extras, then the ones devops-init always sets. */
function tagsFor(spec: Spec, env: IacEnvironmentName): Record<string, string> {
  return { ...spec.iac.tags, project: spec.project.name, environment: env, 'managed-by': 'terraform', repository: spec.project.repository };
}

function environment(spec: Spec, env: IacEnvironmentName): InfraEnvironment {
  const e = spec.iac.environments[env];
  const accountId = accountOf(spec, env);
  const cluster = clusterName(spec, env);
  const namespace = environmentNamespace(spec.project.name, env);
  return {
    name: env,
    accountId,
    region: spec.iac.region,
    root: rootDir(env),
    state: { bucket: stateBucket(spec, accountId), key: stateKey(env), region: spec.iac.region, kmsAlias: stateKmsAlias(spec) },
    network: { ...e.network },
    cluster: {
      name: cluster,
      version: e.cluster.version,
      instanceTypes: [...e.cluster.instanceTypes],
      nodes: { ...e.cluster.nodes },
      publicAccessCidrs: [...e.cluster.publicAccessCidrs],
      kubeconfigCommand: `aws eks update-kubeconfig --name ${cluster} --region ${spec.iac.region}`,
    },
    databases: spec.services
      .filter((s) => s.database)
      .map((s) => ({
        service: s.name,
        engine: s.database!,
        identifier: databaseIdentifier(spec, env, s.name),
        podRole: databaseIdentifier(spec, env, s.name),
        namespace,
        serviceAccount: s.name,
      })),
    database: { ...e.database },
    tags: tagsFor(spec, env),
  };
}

/** Whether iac provisions the container registry: CI pushes to ECR. */
export function provisionsRegistry(spec: Spec): boolean {
  return spec.ci.registry === 'ecr';
}

/** Preview images are pushed from change requests (gitops previews on ECR): they get their own role. */
function hasPreviewPush(spec: Spec): boolean {
  return provisionsRegistry(spec) && spec.practices.includes('gitops') && spec.gitops.previews;
}

/**
 * The identities CI assumes, each trusting only this repository and the exact ref or
 * environment it needs (GitHub's `sub` claim): plans from change requests and the default
 * branch (read-only), applies only inside the environment's protected deployment
 * environment, image pushes only from the default branch.
 */
function identities(spec: Spec): CiIdentity[] {
  const branch = `ref:refs/heads/${spec.project.defaultBranch}`;
  const out: CiIdentity[] = [];
  for (const env of IAC_ENVIRONMENTS) {
    const account = accountOf(spec, env);
    out.push(
      { purpose: 'terraform-plan', name: planRoleName(spec, env), arn: roleArn(account, planRoleName(spec, env)), environment: env, subjects: ['pull_request', branch] },
      { purpose: 'terraform-apply', name: applyRoleName(spec, env), arn: roleArn(account, applyRoleName(spec, env)), environment: env, subjects: [`environment:${env}`] },
    );
  }
  if (provisionsRegistry(spec)) {
    const account = accountOf(spec, REGISTRY_ENVIRONMENT);
    out.push({ purpose: 'image-push', name: imagePushRoleName(spec), arn: roleArn(account, imagePushRoleName(spec)), environment: REGISTRY_ENVIRONMENT, subjects: [branch] });
    if (hasPreviewPush(spec)) {
      out.push({ purpose: 'preview-push', name: previewPushRoleName(spec), arn: roleArn(account, previewPushRoleName(spec)), environment: REGISTRY_ENVIRONMENT, subjects: ['pull_request'] });
    }
  }
  return out;
}

/** The `infra` model part: environments, registry and identities, from devops.yaml alone. */
export function infraModel(spec: Spec): InfraModel {
  const environments = IAC_ENVIRONMENTS.map((env) => environment(spec, env));
  const model: InfraModel = {
    owner: 'iac',
    tool: spec.iac.tool,
    cloud: spec.iac.cloud,
    toolVersion: spec.iac.terraformVersion,
    dir: INFRA_DIR,
    project: spec.project.name,
    repository: spec.project.repository,
    defaultBranch: spec.project.defaultBranch,
    environments,
    identities: identities(spec),
  };
  if (provisionsRegistry(spec)) {
    const accountId = accountOf(spec, REGISTRY_ENVIRONMENT);
    const host = ecrHost(accountId, spec.iac.region);
    model.registry = {
      environment: REGISTRY_ENVIRONMENT,
      accountId,
      region: spec.iac.region,
      host,
      repositories: spec.services.map((s) => ({ service: s.name, name: ecrRepositoryName(spec, s.name), url: `${host}/${ecrRepositoryName(spec, s.name)}` })),
      pullAccounts: [...new Set(environments.map((e) => e.accountId).filter((a) => a !== accountId))],
    };
  }
  return model;
}

/** The identity with a purpose (and environment), which `identities` always creates. */
export function identity(infra: InfraModel, purpose: CiIdentity['purpose'], env?: string): CiIdentity | undefined {
  return infra.identities.find((i) => i.purpose === purpose && (env === undefined || i.environment === env));
}
