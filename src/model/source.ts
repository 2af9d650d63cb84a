import type { Spec } from '../spec/types.js';
import type { SourceModel } from './types.js';

/** Where the repository lives, for Git URLs (Argo CD) and web links (docs, runbooks). */
export function sourceModel(spec: Spec): SourceModel {
  const webBase = 'https://github.com';
  const repo = spec.project.repository;
  return {
    provider: 'github',
    webBase,
    repoURL: `${webBase}/${repo}.git`,
    blobURL: (path) => `${webBase}/${repo}/blob/${spec.project.defaultBranch}/${path}`,
  };
}
