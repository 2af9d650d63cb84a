import { environmentNamespace } from '../../model/labels.js';
import type { CiIdentity, CiOidcIssuer, InfraEnvironment, InfraModel } from '../../model/types.js';
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

/** The audience every trust policy requires (GitHub's default for AWS; GitLab jobs request it in `id_tokens`). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * Whose tokens the identities trust: the CI provider's OIDC issuer. GitLab's issuer is the
 * instance URL and its default `sub` is `project_path:{group}/{project}:ref_type:{type}:ref:{branch_name}`
 * (https://docs.gitlab.com/ci/secrets/id_token_authentication/, "Token payload").
 */
export function ciIssuer(spec: Spec): CiOidcIssuer {
  if (spec.ci.provider === 'gitlab') {
    return { provider: 'gitlab', url: spec.ci.gitlab.url.replace(/\/+$/, ''), audience: STS_AUDIENCE, subjectPrefix: `project_path:${spec.project.repository}:` };
  }
  return { provider: 'github', url: 'https://token.actions.githubusercontent.com', audience: STS_AUDIENCE, subjectPrefix: `repo:${spec.project.repository}:` };
}

/** The subjects of each kind of run, in the issuer's words. */
interface Subjects {
  /** A run on the default branch (image push, plan and drift). */
  branch: string;
  /** A change request from this repository (plans, preview pushes). */
  changeRequest: string;
  /** The apply of an environment. */
  apply: (env: string) => string;
}

function subjectsOf(spec: Spec): Subjects {
  if (spec.ci.provider === 'gitlab') {
    // A GitLab token names a ref, never an environment, and merge request pipelines carry
    // their source branch: plans trust any branch of this project (read-only role), applies
    // the protected default branch, where the manual apply job runs in its protected environment.
    const branch = `ref_type:branch:ref:${spec.project.defaultBranch}`;
    return { branch, changeRequest: 'ref_type:branch:ref:*', apply: () => branch };
  }
  return { branch: `ref:refs/heads/${spec.project.defaultBranch}`, changeRequest: 'pull_request', apply: (env) => `environment:${env}` };
}

/** A plan role's subjects: change requests and the default branch (on GitLab one pattern covers both). */
function planSubjects(s: Subjects): string[] {
  return s.changeRequest.endsWith('*') ? [s.changeRequest] : [s.changeRequest, s.branch];
}

/**
 * The identities CI assumes, each trusting only this repository and the exact ref or
 * environment it needs (the `sub` claim): plans from change requests and the default
 * branch (read-only), applies only inside the environment's protected deployment
 * environment (GitHub) or from the protected default branch (GitLab), image pushes only
 * from the default branch.
 */
function identities(spec: Spec): CiIdentity[] {
  const s = subjectsOf(spec);
  const out: CiIdentity[] = [];
  for (const env of IAC_ENVIRONMENTS) {
    const account = accountOf(spec, env);
    out.push(
      { purpose: 'terraform-plan', name: planRoleName(spec, env), arn: roleArn(account, planRoleName(spec, env)), environment: env, subjects: planSubjects(s) },
      { purpose: 'terraform-apply', name: applyRoleName(spec, env), arn: roleArn(account, applyRoleName(spec, env)), environment: env, subjects: [s.apply(env)] },
    );
  }
  if (provisionsRegistry(spec)) {
    const account = accountOf(spec, REGISTRY_ENVIRONMENT);
    out.push({ purpose: 'image-push', name: imagePushRoleName(spec), arn: roleArn(account, imagePushRoleName(spec)), environment: REGISTRY_ENVIRONMENT, subjects: [s.branch] });
    if (hasPreviewPush(spec)) {
      out.push({ purpose: 'preview-push', name: previewPushRoleName(spec), arn: roleArn(account, previewPushRoleName(spec)), environment: REGISTRY_ENVIRONMENT, subjects: [s.changeRequest] });
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
    ciIssuer: ciIssuer(spec),
  };
  if (provisionsRegistry(spec)) {
    const accountId = accountOf(spec, REGISTRY_ENVIRONMENT);
    const host = ecrHost(accountId, spec.iac.region);
    model.registry = {
      environment: REGISTRY_ENVIRONMENT,
      accountId,
      region: spec.iac.region,
      host,
      repositories: [
        ...spec.services.map((s) => ({ service: s.name, name: ecrRepositoryName(spec, s.name), url: `${host}/${ecrRepositoryName(spec, s.name)}` })),
        // Preview images (pull request code) get repositories of their own, named as the gitops
        // practice pushes them (`<repository>-preview`), never the release repositories.
        ...(hasPreviewPush(spec) ? spec.services.filter((s) => !s.manifests).map((s) => ({ service: `${s.name}-preview`, name: `${ecrRepositoryName(spec, s.name)}-preview`, url: `${host}/${ecrRepositoryName(spec, s.name)}-preview`, preview: true })) : []),
      ],
      pullAccounts: [...new Set(environments.map((e) => e.accountId).filter((a) => a !== accountId))],
    };
  }
  return model;
}

/** The identity with a purpose (and environment), which `identities` always creates. */
export function identity(infra: InfraModel, purpose: CiIdentity['purpose'], env?: string): CiIdentity | undefined {
  return infra.identities.find((i) => i.purpose === purpose && (env === undefined || i.environment === env));
}
