import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { NAME, REL_PATH } from '../../spec/patterns.js';
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

/**
 * `services[].manifests`: Kubernetes configuration the repository already has for the service.
 * Argo CD deploys it (adopted) instead of a generated deploy/<service> tree.
 */
export interface ServiceManifests {
  /** helm: a chart folder (Chart.yaml); kustomize: a kustomization folder; directory: plain manifests. */
  kind: 'helm' | 'kustomize' | 'directory';
  /** Repo-relative folder: the chart, or the folder every environment deploys unless it has its own. */
  path: string;
  /** helm: the team's values file for staging (relative to the chart); kustomize/directory: the folder staging deploys. */
  staging?: string;
  /** As staging, for production. */
  production?: string;
}

const manifestsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'path'],
  description: 'Existing Kubernetes configuration of this service (a Helm chart, a Kustomize tree or plain manifests): Argo CD deploys it instead of a generated deploy/<service> tree. For Helm, devops-init writes values-<env>.devops-init.yaml beside the chart (the image digest) and Argo CD layers it last.',
  properties: {
    kind: { enum: ['helm', 'kustomize', 'directory'] },
    path: { type: 'string', pattern: REL_PATH, description: 'Folder of the chart, kustomization or manifests, relative to the repository root.' },
    staging: { type: 'string', pattern: REL_PATH, description: 'helm: your staging values file, relative to the chart (e.g. values-staging.yaml); kustomize/directory: the folder staging deploys (e.g. k8s/overlays/staging).' },
    production: { type: 'string', pattern: REL_PATH, description: 'As staging, for production.' },
  },
} satisfies ObjectSchemaFor<ServiceManifests>;

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
  spec.services.forEach((s, i) => issues.push(...workloadIssues(s, i), ...manifestsIssues(spec, s, i)));
  return issues;
}

/** An adopted tree must not sit in the generated GitOps folder (devops-init would own and prune it). */
function manifestsIssues(spec: Spec, s: Service, i: number): SchemaIssue[] {
  const m = s.manifests;
  if (!m) return [];
  const issues: SchemaIssue[] = [];
  const dir = spec.gitops.dir;
  const folders = [m.path, ...(m.kind === 'helm' ? [] : [m.staging, m.production])].filter((p): p is string => p !== undefined);
  for (const f of folders) {
    if (f === '.' || f === dir || f.startsWith(`${dir}/`)) {
      issues.push({ path: ['services', i, 'manifests'], message: `${s.name}'s manifests folder ${JSON.stringify(f)} is ${f === '.' ? 'the repository root' : `inside gitops.dir (${dir}), which devops-init writes`}`, fix: `point manifests at the folder of your chart or manifests, or move gitops.dir elsewhere (e.g. gitops.dir: deploy-argocd)` });
    }
  }
  if (m.kind === 'helm') {
    for (const env of ['staging', 'production'] as const) {
      const v = m[env];
      if (v !== undefined && !/\.ya?ml$/.test(v)) issues.push({ path: ['services', i, 'manifests', env], message: `for a Helm chart, manifests.${env} is a values file relative to the chart, not ${JSON.stringify(v)}`, fix: 'name your values file, e.g. values-staging.yaml' });
    }
  }
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
  service: { schema: { manifests: manifestsSchema as SchemaNode }, defaults: () => ({}) },
  validate,
};
