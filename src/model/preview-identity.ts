import type { RegistryLogin } from './types.js';

/**
 * The identity that pushes preview images (untrusted change-request code) when the
 * infrastructure does not provision one: a CI variable naming it, the same name on every forge
 * (a GitHub repository variable, a GitLab CI/CD variable). The release identity in devops.yaml
 * (`ci.aws.roleArn`, `ci.gcp.serviceAccount`, `ci.azure.clientId`) trusts only the default
 * branch; a preview push that finds its variable unset fails, it never falls back to it.
 */
export interface PreviewIdentity {
  /** The variable's name, e.g. AWS_PREVIEW_ROLE_ARN. */
  variable: string;
  /** What it holds, in the docs' words. */
  what: string;
  /** The devops.yaml key of the release identity it replaces for previews. */
  releaseKey: string;
}

const BY_REGISTRY: Record<'ecr' | 'gar' | 'acr', PreviewIdentity> = {
  ecr: { variable: 'AWS_PREVIEW_ROLE_ARN', what: 'the ARN of the IAM role that pushes preview images', releaseKey: 'ci.aws.roleArn' },
  gar: { variable: 'GCP_PREVIEW_SERVICE_ACCOUNT', what: 'the email of the service account that pushes preview images', releaseKey: 'ci.gcp.serviceAccount' },
  acr: { variable: 'AZURE_PREVIEW_CLIENT_ID', what: 'the client id of the app registration (or managed identity) that pushes preview images', releaseKey: 'ci.azure.clientId' },
};

/**
 * The preview identity variable a registry needs, or null when none is needed: GHCR and the
 * GitLab registry have no per-repository CI credentials (previews push with the job's token,
 * separated by repository name only), and an ECR registry provisioned by iac carries its own
 * preview role (`previewRoleArn`).
 */
export function previewIdentity(r: RegistryLogin | undefined): PreviewIdentity | null {
  if (!r) return null;
  if (r.kind === 'ecr') return r.previewRoleArn ? null : BY_REGISTRY.ecr;
  if (r.kind === 'gar' || r.kind === 'acr') return BY_REGISTRY[r.kind];
  return null;
}
