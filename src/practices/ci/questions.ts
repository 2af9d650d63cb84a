import type { Spec } from '../../spec/types.js';
import { CI_PROVIDERS, REGISTRIES, type Registry } from './config.js';
import type { Question } from '../types.js';

const PROVIDER_CHOICES = [
  { value: 'github', name: 'GitHub Actions', description: '.github/workflows, Dependabot' },
  { value: 'gitlab', name: 'GitLab CI', description: '.gitlab-ci.yml including .gitlab/ci/*.yml' },
];

const REGISTRY_CHOICES = [
  { value: 'ghcr', name: 'GitHub Container Registry', description: 'ghcr.io (GitHub only); pushes with the workflow token, nothing to set up' },
  { value: 'gitlab', name: 'GitLab container registry', description: 'the project\'s registry (GitLab only); pushes with the job token, nothing to set up' },
  { value: 'ecr', name: 'Amazon ECR', description: 'needs ci.aws (region, IAM role trusting the CI provider\'s OIDC)' },
  { value: 'gar', name: 'Google Artifact Registry', description: 'needs ci.gcp (Workload Identity Federation)' },
  { value: 'acr', name: 'Azure Container Registry', description: 'needs ci.azure (federated credential)' },
];

const SIGNING_CHOICES = [
  { value: 'cosign', name: 'cosign (keyless, Sigstore)', description: 'signature stored beside the image; verify with cosign verify' },
  { value: 'attestation', name: 'GitHub artifact attestation', description: 'build provenance (GitHub only); verify with gh attestation verify' },
];

const oneOf = (allowed: readonly string[], what: string) => (value: string) =>
  allowed.includes(value) ? undefined : `${what} must be one of ${allowed.join(', ')}`;

/**
 * Where CI runs. init detects the default (GitLab when the repository has a .gitlab-ci.yml or
 * its origin is on a GitLab host, see src/commands/ci-provider.ts) and seeds it into the spec it
 * asks with, so the default here is the spec's. Always recorded; init drops `github`, the
 * schema's default, so GitHub specs stay as they were.
 */
export const ciProviderQuestion: Question = {
  id: 'ciProvider',
  flag: '--ci-provider <provider>',
  description: 'where CI runs: github (GitHub Actions) or gitlab (GitLab CI)',
  message: 'Where does CI run?',
  kind: 'select',
  choices: PROVIDER_CHOICES,
  current: (spec: Spec) => spec.ci?.provider,
  default: (spec: Spec) => spec.ci?.provider ?? 'github',
  validate: oneOf(CI_PROVIDERS, 'ci provider'),
  apply: (_spec, value) => [{ path: ['ci', 'provider'], value }],
};

export const registryQuestion: Question = {
  id: 'registry',
  flag: '--registry <registry>',
  description: 'container registry CI pushes images to (ghcr, gitlab, ecr, gar, acr)',
  message: 'Which container registry should CI push images to?',
  kind: 'select',
  choices: REGISTRY_CHOICES,
  current: (spec: Spec) => spec.ci?.registry,
  // The CI provider's own registry: nothing to set up.
  default: (spec: Spec) => (spec.ci?.provider === 'gitlab' ? 'gitlab' : 'ghcr'),
  validate: oneOf(REGISTRIES, 'registry'),
  apply: (_spec, value) => [{ path: ['ci', 'registry'], value: value as Registry }],
};

export const signingQuestion: Question = {
  id: 'signing',
  flag: '--signing <method>',
  description: 'how CI signs pushed images (cosign, attestation)',
  message: 'How should CI sign the images it pushes?',
  kind: 'select',
  choices: SIGNING_CHOICES,
  current: (spec: Spec) => spec.ci?.signing,
  default: () => 'cosign',
  validate: oneOf(['cosign', 'attestation'], 'signing'),
  apply: (_spec, value) => [{ path: ['ci', 'signing'], value }],
};

export const ciQuestions: Question[] = [ciProviderQuestion, registryQuestion, signingQuestion];
