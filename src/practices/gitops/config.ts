import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { NAME } from '../../spec/patterns.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Spec } from '../../spec/types.js';

export interface GitopsConfig {
  /** Folder holding the Kustomize bases/overlays and Argo CD objects (no trailing slash). */
  dir: string;
  argocdNamespace: string;
  /** Production sync policy: automated after the PR-based promotion, or manual sync in Argo CD. */
  productionSync: 'automated' | 'manual';
  previews: boolean;
  /**
   * The token that opens the promotion change requests (CI's staging one, the production one).
   * `pull-request`: the pipeline's own token (GitHub's GITHUB_TOKEN; checks do not start on such
   * PRs by themselves). `app-token`: the PROMOTION_TOKEN secret (a fine-grained token, or a
   * GitHub App token minted per run once actions/create-github-app-token has a verified pin), so
   * checks run. GitLab job tokens cannot open merge requests: GitLab needs `app-token` (a
   * project access token in the PROMOTION_TOKEN variable).
   */
  promotion: 'app-token' | 'pull-request';
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dir: {
      type: 'string',
      // REL_PATH minus "." (and "./", "./x", "/"): CI ignores <dir>/**, so the repository
      // root would make CI ignore every change.
      pattern: '^(?!\\.?/*$)(?!\\./)(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._@/-]+$',
      description: 'Folder (relative to the repository root) for the Kustomize bases/overlays and Argo CD objects, e.g. "deploy". Must be a sub-folder, not "." or "./x": CI ignores changes under it (so merged promotions do not rebuild images), and the root would make CI ignore every change.',
    },
    argocdNamespace: { type: 'string', pattern: NAME },
    productionSync: { enum: ['automated', 'manual'] },
    previews: { type: 'boolean' },
    promotion: { enum: ['app-token', 'pull-request'], description: 'Token that opens promotion pull/merge requests: pull-request (the pipeline\'s own, GitHub only) or app-token (the PROMOTION_TOKEN secret or CI/CD variable, so their checks run).' },
  },
} satisfies ObjectSchemaFor<GitopsConfig>;

export function gitopsDefaults(): GitopsConfig {
  return { dir: 'deploy', argocdNamespace: 'argocd', productionSync: 'automated', previews: true, promotion: 'pull-request' };
}

function validate(spec: Spec): SchemaIssue[] {
  if (!spec.practices.includes('gitops') || spec.ci.provider !== 'gitlab' || spec.gitops.promotion !== 'pull-request') return [];
  return [{ path: ['gitops', 'promotion'], message: 'GitLab job tokens cannot open merge requests, so promotions need a stored token', fix: 'set gitops.promotion: app-token and store a project access token (api, write_repository) as the masked CI/CD variable PROMOTION_TOKEN' }];
}

export const gitopsConfig: PracticeConfig = {
  practice: 'gitops',
  requires: ['ci'],
  section: { key: 'gitops', schema: schema as SchemaNode, defaults: gitopsDefaults },
  validate,
};
