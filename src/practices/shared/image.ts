import type { Service, Spec } from '../../spec/types.js';

/**
 * The container image repository (no tag) for a service, the same string in CI,
 * Kustomize `images`, Argo CD and docs. GHCR names are lowercase.
 */
export function imageRepository(spec: Spec, svc: Service): string {
  const repo = spec.project.repository.toLowerCase();
  switch (spec.ci.registry) {
    case 'ghcr':
      return `ghcr.io/${repo}/${svc.name}`;
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

/** The registry host part of `imageRepository`. */
export function registryHost(spec: Spec, svc: Service): string {
  return imageRepository(spec, svc).split('/')[0]!;
}
