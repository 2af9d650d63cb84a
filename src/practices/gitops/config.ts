import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { NAME } from '../../spec/patterns.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Service, Spec } from '../../spec/types.js';

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
  const issues: SchemaIssue[] = [];
  if (spec.practices.includes('gitops') && spec.ci.provider === 'gitlab' && spec.gitops.promotion === 'pull-request') {
    issues.push({ path: ['gitops', 'promotion'], message: 'GitLab job tokens cannot open merge requests, so promotions need a stored token', fix: 'set gitops.promotion: app-token and store a project access token (api, write_repository) as the masked CI/CD variable PROMOTION_TOKEN' });
  }
  spec.services.forEach((s, i) => issues.push(...workloadIssues(s, i)));
  return issues;
}

/** What a workload of the service's kind cannot be built from. */
function workloadIssues(s: Service, i: number): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (s.kind === 'cronjob' && !s.schedule) issues.push({ path: ['services', i, 'kind'], message: `${s.name} is a cronjob without a schedule`, fix: 'set services[].schedule (cron syntax, UTC), e.g. "0 3 * * *"' });
  if (s.kind !== 'cronjob' && s.schedule) issues.push({ path: ['services', i, 'schedule'], message: `${s.name} has a schedule but is a ${s.kind}`, fix: 'set kind: cronjob, or remove schedule' });
  // A worker listens on no port of its own: a probe must say which port it opens.
  if (s.kind === 'worker' && s.probes.type !== 'none' && s.probes.port === undefined) {
    issues.push({ path: ['services', i, 'probes'], message: `${s.name} is a worker (no service port) with a ${s.probes.type} probe but no probes.port`, fix: 'set probes.port to the port the worker opens for health checks, or probes.type: none' });
  }
  if ((s.kind === 'job' || s.kind === 'cronjob') && s.probes.type !== 'none') {
    issues.push({ path: ['services', i, 'probes'], message: `${s.name} is a ${s.kind}: jobs get no probes (they run to completion)`, fix: 'remove probes, or set probes.type: none' });
  }
  if (s.probes.type !== 'http' && s.probes.readinessPath) issues.push({ path: ['services', i, 'probes', 'readinessPath'], message: 'readinessPath is for http probes', fix: 'set probes.type: http, or remove readinessPath' });
  return issues;
}

export const gitopsConfig: PracticeConfig = {
  practice: 'gitops',
  requires: ['ci'],
  section: { key: 'gitops', schema: schema as SchemaNode, defaults: gitopsDefaults },
  validate,
};
