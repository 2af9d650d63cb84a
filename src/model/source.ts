import type { Spec } from '../spec/types.js';
import type { SourceModel } from './types.js';

/**
 * Where the repository lives, for Git URLs (Argo CD) and web links (docs, runbooks): GitHub, or
 * the GitLab instance of `ci.gitlab.url` when `ci.provider` is gitlab (project paths may have
 * subgroups: `group/subgroup/project`).
 */
export function sourceModel(spec: Spec): SourceModel {
  const repo = spec.project.repository;
  const branch = spec.project.defaultBranch;
  if (spec.ci.provider === 'gitlab') {
    const webBase = spec.ci.gitlab.url.replace(/\/+$/, '');
    return {
      provider: 'gitlab',
      webBase,
      repoURL: `${webBase}/${repo}.git`,
      // GitLab's web routes live under `/-/` so they cannot collide with subgroup names.
      blobURL: (path) => `${webBase}/${repo}/-/blob/${branch}/${path}`,
      changeRequest: { name: 'merge request', plural: 'merge requests', short: 'MR' },
    };
  }
  const webBase = 'https://github.com';
  return {
    provider: 'github',
    webBase,
    repoURL: `${webBase}/${repo}.git`,
    blobURL: (path) => `${webBase}/${repo}/blob/${branch}/${path}`,
    changeRequest: { name: 'pull request', plural: 'pull requests', short: 'PR' },
  };
}
