import type { Spec } from '../../spec/types.js';
import type { Question } from '../types.js';

const REL_PATH = /^(\.|(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._@/-]+)$/;

export const gitopsDirQuestion: Question = {
  id: 'gitopsDir',
  flag: '--gitops-dir <dir>',
  description: 'Folder for the Kustomize bases/overlays and Argo CD objects',
  message: 'Where should the deployment manifests live?',
  kind: 'input',
  current: (spec: Spec) => spec.gitops?.dir,
  default: () => 'deploy',
  validate(value: string) {
    if (value === '.' || !REL_PATH.test(value)) return 'Use a folder relative to the repository root, e.g. deploy';
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
  description: 'How promotion commits are made: pull-request (GITHUB_TOKEN) or app-token (GitHub App, so checks run)',
  message: 'How should CI write image promotions to Git?',
  kind: 'select',
  choices: [
    { value: 'pull-request', name: 'Pull request with GITHUB_TOKEN', description: 'No extra setup; checks on the PR need a manual re-run' },
    { value: 'app-token', name: 'GitHub App token', description: 'Needs a GitHub App; its commits and PRs trigger workflows' },
  ],
  current: (spec: Spec) => spec.gitops?.promotion,
  default: () => 'pull-request',
  validate: (value: string) => (['pull-request', 'app-token'].includes(value) ? undefined : 'Choose pull-request or app-token'),
  apply: (_spec, value) => [{ path: ['gitops', 'promotion'], value }],
};

export const gitopsQuestions: Question[] = [gitopsDirQuestion, productionSyncQuestion, previewsQuestion, promotionQuestion];
