import type { Spec } from '../../spec/types.js';
import { REGISTRIES, type Registry } from './config.js';
import type { Question } from '../types.js';

const REGISTRY_CHOICES = [
  { value: 'ghcr', name: 'GitHub Container Registry', description: 'ghcr.io; pushes with the workflow token, nothing to set up' },
  { value: 'ecr', name: 'Amazon ECR', description: 'needs ci.aws (region, IAM role for GitHub OIDC)' },
  { value: 'gar', name: 'Google Artifact Registry', description: 'needs ci.gcp (Workload Identity Federation)' },
  { value: 'acr', name: 'Azure Container Registry', description: 'needs ci.azure (federated credential)' },
];

const SIGNING_CHOICES = [
  { value: 'cosign', name: 'cosign (keyless, Sigstore)', description: 'signature stored beside the image; verify with cosign verify' },
  { value: 'attestation', name: 'GitHub artifact attestation', description: 'build provenance; verify with gh attestation verify' },
];

const oneOf = (allowed: readonly string[], what: string) => (value: string) =>
  allowed.includes(value) ? undefined : `${what} must be one of ${allowed.join(', ')}`;

export const registryQuestion: Question = {
  id: 'registry',
  flag: '--registry <registry>',
  description: 'container registry CI pushes images to (ghcr, ecr, gar, acr)',
  message: 'Which container registry should CI push images to?',
  kind: 'select',
  choices: REGISTRY_CHOICES,
  current: (spec: Spec) => spec.ci?.registry,
  default: () => 'ghcr',
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

export const ciQuestions: Question[] = [registryQuestion, signingQuestion];
