import type { Model } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import type { Practice } from '../types.js';
import { iacConfig } from './config.js';
import { iacHandbook } from './handbook.js';
import { identity, infraModel } from './infra.js';
import { infraPipelines } from './pipelines.js';
import { iacQuestions } from './questions.js';

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
}

export const iacPractice: Practice = {
  id: 'iac',
  title: 'Infrastructure as code (Terraform)',
  handbook: iacHandbook,
  config: iacConfig,
  questions: iacQuestions,
  contribute,
};
