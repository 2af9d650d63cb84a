import type { RegistryLogin } from '../../model/types.js';
import { UsageError } from '../../errors.js';
import type { Service, Spec } from '../../spec/types.js';

/**
 * The container image repository (no tag) for a service, the same string in CI,
 * Kustomize `images`, Argo CD and docs. GHCR names are lowercase.
 */
export function imageRepository(spec: Spec, svc: Service, login?: RegistryLogin): string {
  const repo = spec.project.repository.toLowerCase();
  // A registry another practice provisions (iac's ECR) names the host; the path rule is the same.
  if (login?.kind === 'ecr' && spec.ci.registry === 'ecr') return `${login.host}/${spec.project.name}/${svc.name}`;
  switch (spec.ci.registry) {
    case 'ghcr':
      return `ghcr.io/${repo}/${svc.name}`;
    case 'gitlab':
      // GitLab's $CI_REGISTRY_IMAGE/<service>: the project path, lowercased.
      return `${spec.ci.gitlab.registry}/${repo}/${svc.name}`;
    case 'ecr': {
      const account = spec.ci.aws?.roleArn.split(':')[4] ?? '000000000000';
      const region = spec.ci.aws?.region ?? 'us-east-1';
      return `${account}.dkr.ecr.${region}.amazonaws.com/${spec.project.name}/${svc.name}`;
    }
    case 'gar': {
      const location = spec.ci.gcp?.location ?? 'us';
      const project = spec.ci.gcp?.project ?? 'my-project';
      return `${location}-docker.pkg.dev/${project}/${spec.project.name}/${svc.name}`;
    }
    case 'acr':
      return `${spec.ci.azure?.registry ?? 'myregistry'}.azurecr.io/${spec.project.name}/${svc.name}`;
  }
}

/** Registry login settings; ECR/GAR/ACR need their OIDC settings in devops.yaml. */
export function registryLogin(spec: Spec): RegistryLogin {
  const { registry, aws, gcp, azure } = spec.ci;
  const missing = (section: string, fields: string) =>
    new UsageError(`ci.registry is ${registry} but ci.${section} is not set in devops.yaml.`, `Add ci.${section} with ${fields} (OIDC: no long-lived keys).`);
  const first = spec.services[0];
  const host = first ? imageRepository(spec, first).split('/')[0]! : '';
  switch (registry) {
    case 'ghcr':
      return { kind: 'ghcr', host };
    case 'gitlab':
      return { kind: 'gitlab', host };
    case 'ecr':
      if (!aws) throw missing('aws', 'region and roleArn');
      return { kind: 'ecr', host, ...aws };
    case 'gar':
      if (!gcp) throw missing('gcp', 'location, project, workloadIdentityProvider and serviceAccount');
      return { kind: 'gar', host, ...gcp };
    case 'acr':
      if (!azure) throw missing('azure', 'registry, clientId, tenantId and subscriptionId');
      return { kind: 'acr', host, ...azure };
  }
}
