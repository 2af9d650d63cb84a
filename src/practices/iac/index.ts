import type { CiIdentity, InfraModel, Model } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import type { Practice } from '../types.js';
import { iacConfig } from './config.js';
import { iacHandbook } from './handbook.js';
import { identity, infraModel } from './infra.js';
import { DRIFT_ISSUE_TITLE, DRIFT_SCHEDULE } from './names.js';
import { infraPipelines } from './pipelines.js';
import { iacQuestions } from './questions.js';

const MAY: Record<CiIdentity['purpose'], string> = {
  'terraform-plan': 'read everything (ReadOnlyAccess), read its state, take the state lock',
  'terraform-apply': 'PowerUserAccess, its state, the project\'s own IAM roles (never the Terraform roles)',
  'image-push': 'push to the service repositories',
  'preview-push': 'push preview images to the service repositories',
};

/** What docs/infrastructure.md needs: tables of environments, accounts, identities, registry and databases. */
function docsData(infra: InfraModel): Record<string, unknown> {
  const accounts = new Map<string, string[]>();
  for (const e of infra.environments) accounts.set(e.accountId, [...(accounts.get(e.accountId) ?? []), e.name]);
  const account = (env: string) => infra.environments.find((e) => e.name === env)!.accountId;
  return {
    project: infra.project,
    repository: infra.repository,
    dir: infra.dir,
    defaultBranch: infra.defaultBranch,
    environments: infra.environments,
    environmentNames: infra.environments.map((e) => e.name),
    firstKubeconfig: infra.environments[0]!.cluster.kubeconfigCommand,
    accounts: [...accounts].map(([id, envs]) => ({ id, environments: envs.join(' and ') })),
    bucketPattern: `${infra.environments[0]!.state.bucket.replace(/-[0-9]{12}$/, '')}-<account id>`,
    kmsAlias: infra.environments[0]!.state.kmsAlias,
    schedule: DRIFT_SCHEDULE,
    issueTitle: DRIFT_ISSUE_TITLE,
    identities: infra.identities.map((i) => ({ name: i.name, account: account(i.environment), subjects: i.subjects.map((s) => `\`${s}\``).join(', '), may: MAY[i.purpose] })),
    registry: infra.registry ?? null,
    // Whose OIDC tokens the roles trust: the pipelines and settings differ by CI provider.
    gitlab: infra.ciIssuer.provider === 'gitlab' ? { url: infra.ciIssuer.url, host: infra.ciIssuer.url.replace(/^https:\/\//, ''), audience: infra.ciIssuer.audience } : null,
    subjectPrefix: infra.ciIssuer.subjectPrefix,
    databases: [...new Set(infra.environments.flatMap((e) => e.databases.map((d) => d.service)))].map((service) => ({
      service,
      identifiers: infra.environments.flatMap((e) => e.databases.filter((d) => d.service === service).map((d) => `\`${d.identifier}\``)).join(', '),
    })),
  };
}

/**
 * Infrastructure as code: the `infra` model part (environments, network, cluster, databases,
 * state, the registry and CI's identities) and the plan, apply and drift pipelines. The IaC
 * tool's emitter (src/emit/terraform) writes the modules and roots; when IaC provisions the
 * registry it also sets `model.registry`, so CI logs in with the push role it creates.
 */
function contribute(spec: Spec, model: Model): void {
  const infra = infraModel(spec);
  model.infra = infra;
  if (infra.registry) {
    const push = identity(infra, 'image-push')!;
    const preview = identity(infra, 'preview-push');
    model.registry = { kind: 'ecr', host: infra.registry.host, region: infra.registry.region, roleArn: push.arn, ...(preview ? { previewRoleArn: preview.arn } : {}) };
    if (spec.ci.aws) {
      model.warnings.push({
        owner: 'iac',
        text: `ci.aws is ignored while iac provisions the registry: CI pushes to ${infra.registry.host} with ${push.arn}. Remove ci.aws from devops.yaml.`,
      });
    }
  } else if (spec.ci.registry !== 'ghcr') {
    model.warnings.push({ owner: 'iac', text: `iac creates no registry for ci.registry ${spec.ci.registry}; the EKS nodes need pull credentials for it. Use ci.registry: ecr to have iac create the repositories and CI's push role.` });
  }
  model.pipelines.push(...infraPipelines(infra));
  model.files.push({ owner: 'iac', path: 'docs/infrastructure.md', template: 'iac/infrastructure.md.hbs', data: docsData(infra), ownership: 'managed' });
}

export const iacPractice: Practice = {
  id: 'iac',
  title: 'Infrastructure as code (Terraform)',
  handbook: iacHandbook,
  config: iacConfig,
  questions: iacQuestions,
  optIn: true,
  contribute,
};
