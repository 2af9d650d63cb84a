import type { Spec } from '../../spec/types.js';
import type { Question } from '../types.js';

/**
 * The schema's gitops.dir pattern (scripts/gen-schema.mjs): a relative sub-folder, never the
 * root ("." or "./"), never "./x", "/x" or "..". CI ignores changes under this folder.
 */
const GITOPS_DIR = /^(?!\.?\/*$)(?!\.\/)(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._@/-]+$/u;

export const gitopsDirQuestion: Question = {
  id: 'gitopsDir',
  flag: '--gitops-dir <dir>',
  description: 'Folder for the Kustomize bases/overlays and Argo CD objects',
  message: 'Where should the deployment manifests live?',
  kind: 'input',
  current: (spec: Spec) => spec.gitops?.dir,
  default: () => 'deploy',
  validate(value: string) {
    if (!GITOPS_DIR.test(value)) return 'Use a sub-folder relative to the repository root, e.g. deploy (not "."): CI ignores changes under it';
    return undefined;
  },
  apply: (_spec, value) => [{ path: ['gitops', 'dir'], value: String(value).replace(/\/+$/, '') }],
};

export const productionSyncQuestion: Question = {
  id: 'productionSync',
  flag: '--production-sync <mode>',
  description: 'Production sync: automated (the promotion PR is the gate) or manual (press Sync in Argo CD)',
  message: 'How should production sync after a promotion is merged?',
  kind: 'select',
  choices: [
    { value: 'automated', name: 'Automated', description: 'Argo CD syncs as soon as the reviewed promotion PR merges (recommended)' },
    { value: 'manual', name: 'Manual', description: 'Someone presses Sync in Argo CD after the merge' },
  ],
  current: (spec: Spec) => spec.gitops?.productionSync,
  default: () => 'automated',
  validate: (value: string) => (['automated', 'manual'].includes(value) ? undefined : 'Choose automated or manual'),
  apply: (_spec, value) => [{ path: ['gitops', 'productionSync'], value }],
};

export const previewsQuestion: Question = {
  id: 'previews',
  flag: '--previews',
  description: 'Preview environment per pull request labelled "preview"',
  message: 'Create a preview environment for pull requests labelled "preview"?',
  kind: 'confirm',
  current: (spec: Spec) => spec.gitops?.previews,
  default: () => true,
  apply: (_spec, value) => [{ path: ['gitops', 'previews'], value: value === true || value === 'true' }],
};

export const promotionQuestion: Question = {
  id: 'promotion',
  flag: '--promotion <method>',
  description: 'Which token opens the promotion pull/merge requests: pull-request (GITHUB_TOKEN, GitHub only) or app-token (the PROMOTION_TOKEN secret or CI/CD variable, so checks run; required on GitLab)',
  message: 'Which token should open the pull requests that write promotions to Git?',
  kind: 'select',
  choices: [
    { value: 'pull-request', name: 'GITHUB_TOKEN', description: 'GitHub only. No secret to store; checks start only after a reviewer closes and reopens the PR' },
    { value: 'app-token', name: 'Stored token (PROMOTION_TOKEN)', description: 'A fine-grained or GitHub App token (GitHub), or a project access token (GitLab), you store; its requests start the checks' },
  ],
  current: (spec: Spec) => spec.gitops?.promotion,
  // GitLab job tokens cannot open merge requests: GitLab needs the stored token.
  default: (spec: Spec) => (spec.ci?.provider === 'gitlab' ? 'app-token' : 'pull-request'),
  validate: (value: string) => (['pull-request', 'app-token'].includes(value) ? undefined : 'Choose pull-request or app-token'),
  apply: (_spec, value) => [{ path: ['gitops', 'promotion'], value }],
};

export const gitopsQuestions: Question[] = [gitopsDirQuestion, productionSyncQuestion, previewsQuestion, promotionQuestion];
