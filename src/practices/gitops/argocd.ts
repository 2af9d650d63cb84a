import { ENVIRONMENT_LABEL, serviceLabels } from '../../model/labels.js';
import type { Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
import {
  ENVIRONMENTS,
  IN_CLUSTER,
  PREVIEW_LABEL,
  applicationName,
  argocdDir,
  bootstrapProjectName,
  namespaceFor,
  overlayDir,
  previewProjectName,
  previewsDir,
  projectName,
  PLATFORM_PROJECT,
  type Env,
} from './names.js';

/**
 * Argo CD objects: AppProjects, the root app-of-apps, one Application per service and
 * environment, and the pull-request ApplicationSet for previews.
 */

type Obj = Record<string, unknown>;

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Namespaces Argo CD creates get the restricted Pod Security level enforced. */
const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};
/** Quotas and limit ranges are the cluster admins' governance, not an app's to change. */
const ADMIN_OWNED_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
];
const RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

function metadata(spec: Spec, name: string, finalizer = true): Obj {
  return {
    name,
    namespace: spec.gitops.argocdNamespace,
    ...(finalizer ? { finalizers: [FINALIZER] } : {}),
  };
}

function appProject(spec: Spec, repoURL: string, name: string, description: string, namespaces: string[]): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: spec.gitops.argocdNamespace },
    spec: {
      description,
      sourceRepos: [repoURL],
      destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
      // Namespace is the only cluster-scoped kind (CreateNamespace / preview namespaces).
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceBlacklist: ADMIN_OWNED_KINDS,
      orphanedResources: { warn: true },
    },
  };
}

/** The product's project: only this repository, only the staging and production namespaces. */
export function project(spec: Spec, model: Model): Obj {
  return appProject(
    spec,
    model.source.repoURL,
    projectName(spec),
    `${spec.project.name} services (staging and production)`,
    ENVIRONMENTS.map((env) => namespaceFor(spec, env)),
  );
}

/** Previews run pull-request code: their own project, confined to `<project>-pr-*`. */
export function previewProject(spec: Spec, model: Model): Obj {
  return appProject(spec, model.source.repoURL, previewProjectName(spec), `${spec.project.name} pull-request previews`, [
    `${spec.project.name}-pr-*`,
  ]);
}

/**
 * The project of the root app: it may only manage Argo CD's own objects, in Argo CD's
 * namespace. Argo CD still enforces each child Application's own project.
 */
export function bootstrapProject(spec: Spec, model: Model): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: bootstrapProjectName(spec), namespace: spec.gitops.argocdNamespace },
    spec: {
      description: `Argo CD objects of ${spec.project.name} (app-of-apps)`,
      sourceRepos: [model.source.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: spec.gitops.argocdNamespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
        { group: 'argoproj.io', kind: 'AppProject' },
      ],
    },
  };
}

function source(spec: Spec, model: Model, path: string, extra: Obj = {}): Obj {
  return { repoURL: model.source.repoURL, targetRevision: spec.project.defaultBranch, path, ...extra };
}

/**
 * The root app-of-apps: every file under argocd/apps (recursively), so any practice can
 * add an Application by dropping a file there. No finalizer on purpose: deleting the
 * root by mistake must not cascade into deleting every environment.
 */
export function rootApplication(spec: Spec, model: Model): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: metadata(spec, `${spec.project.name}-root`, false),
    spec: {
      project: bootstrapProjectName(spec),
      source: source(spec, model, `${argocdDir(spec)}/apps`, { directory: { recurse: true } }),
      destination: { server: IN_CLUSTER, namespace: spec.gitops.argocdNamespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: RETRY },
    },
  };
}

/**
 * Keeps the top-level Argo CD files (the AppProjects and root.yaml itself) in sync from
 * Git, so after the one-time bootstrap nothing is applied by hand.
 */
export function argocdObjectsApplication(spec: Spec, model: Model): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: metadata(spec, `${spec.project.name}-argocd`, false),
    spec: {
      project: bootstrapProjectName(spec),
      source: source(spec, model, argocdDir(spec), { directory: { recurse: false, include: '*.yaml' } }),
      destination: { server: IN_CLUSTER, namespace: spec.gitops.argocdNamespace },
      // No prune: removing an AppProject under live Applications is never automatic.
      syncPolicy: { automated: { prune: false, selfHeal: true }, retry: RETRY },
    },
  };
}

/**
 * One Application per service and environment. Staging syncs itself; production is
 * automated too when the promotion PR is the gate (`productionSync: automated`),
 * otherwise someone presses Sync in Argo CD after the merge.
 */
export function serviceApplication(spec: Spec, model: Model, svc: Service, env: Env): Obj {
  const automated = env === 'staging' || spec.gitops.productionSync === 'automated';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      ...metadata(spec, applicationName(spec, svc, env)),
      labels: { ...serviceLabels(spec.project.name, svc.name), [ENVIRONMENT_LABEL]: env },
    },
    spec: {
      project: projectName(spec),
      source: source(spec, model, overlayDir(spec, svc, env)),
      destination: { server: IN_CLUSTER, namespace: namespaceFor(spec, env) },
      syncPolicy: {
        ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
        syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
        managedNamespaceMetadata: { labels: POD_SECURITY_LABELS },
        retry: RETRY,
      },
      revisionHistoryLimit: 10,
    },
  };
}

/**
 * The pull-request generator for the forge the repository lives on. Both poll every 5 minutes;
 * a webhook to the ApplicationSet controller's /api/webhook makes them react at once.
 */
function pullRequestGenerator(spec: Spec, model: Model): Obj {
  const tokenRef = { secretName: previewTokenSecret(spec, model), key: 'token' };
  if (model.source.provider === 'gitlab') {
    // Argo CD's GitLab merge-request generator (operator manual, "Pull Request Generator" →
    // GitLab: https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Pull-Request/#gitlab):
    // `project` is the project's numeric ID or its full path (the GitLab API accepts either;
    // the path, used here, changes when the project is renamed or moved), `api` the instance
    // URL, `tokenRef` a token with read_api, `labels` all required, `pullRequestState: opened`
    // so a merged or closed MR's Application is deleted. Template keys (number, head_sha,
    // head_short_sha_7) are the same as GitHub's.
    return {
      gitlab: {
        project: spec.project.repository,
        api: model.source.webBase,
        tokenRef,
        labels: [PREVIEW_LABEL],
        pullRequestState: 'opened',
      },
      requeueAfterSeconds: 300,
    };
  }
  const [owner, repo] = spec.project.repository.split('/');
  return {
    github: {
      owner,
      repo,
      // A read-only token (pull requests: read) in a Secret in the Argo CD namespace.
      tokenRef,
      // Only PRs a maintainer labelled. The generator has no fork filter (labels and
      // branch names only) and CI builds no fork images, so the label is for
      // same-repository PRs only (docs/gitops.md).
      labels: [PREVIEW_LABEL],
    },
    // Poll every 5 minutes; point a GitHub webhook at /api/webhook to react at once.
    requeueAfterSeconds: 300,
  };
}

/** The Secret (in the Argo CD namespace) holding the token the preview generator reads the forge's API with. */
export function previewTokenSecret(spec: Spec, model: Model): string {
  return `${spec.project.name}-previews-${model.source.provider}`;
}

/**
 * Previews: one Application per open PR labelled `preview`, built from the PR head with
 * every service's image tagged `sha-<7-char head SHA>` (the CI preview job pushes it).
 * The previews kustomization ships the Namespace, so closing the PR deletes the app,
 * its resources and the namespace (a CreateNamespace namespace would be left behind).
 */
export function previewApplicationSet(spec: Spec, model: Model): Obj {
  const ns = `${spec.project.name}-pr-{{.number}}`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: `${spec.project.name}-previews`, namespace: spec.gitops.argocdNamespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ pullRequest: pullRequestGenerator(spec, model) }],
      template: {
        metadata: {
          name: `${spec.project.name}-pr-{{.number}}`,
          finalizers: [FINALIZER],
          labels: { 'app.kubernetes.io/part-of': spec.project.name, 'app.kubernetes.io/environment': 'preview' },
        },
        spec: {
          project: previewProjectName(spec),
          source: {
            repoURL: model.source.repoURL,
            targetRevision: '{{.head_sha}}',
            path: previewsDir(spec),
            kustomize: {
              namespace: ns,
              images: model.services.map((s) => `${s.image!.repository}:sha-{{.head_short_sha_7}}`),
            },
          },
          destination: { server: IN_CLUSTER, namespace: ns },
          syncPolicy: { automated: { prune: true, selfHeal: true }, retry: RETRY },
        },
      },
    },
  };
}

/**
 * The project of cluster-wide telemetry (backends, collector, log shipper, alert rules), with
 * the namespaces and chart repositories the platform practices added. Service projects allow
 * no cluster-scoped kinds; these apps need a few (CRDs, RBAC for their agents, admission
 * webhooks), so they get their own project with exactly those kinds.
 */
export function platformProject(spec: Spec, model: Model): Obj {
  const platform = model.argocd!.platform;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: model.argocd!.platformProjectName, namespace: spec.gitops.argocdNamespace },
    spec: {
      description: 'Cluster-wide telemetry: metrics, logs, traces and alert rules',
      sourceRepos: [...new Set(platform.sourceRepos)],
      destinations: [...new Set(platform.namespaces)].map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
        { group: '', kind: 'Namespace' },
      ],
      // Quotas and limits are the cluster admins' to set, not a chart's.
      namespaceResourceBlacklist: ADMIN_OWNED_KINDS,
    },
  };
}

/** An Application in the platform project, auto-synced with pruning and self-heal. */
export function platformApplication(spec: Spec, name: string, namespace: string, source: Obj, syncOptions: string[]): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: spec.gitops.argocdNamespace, finalizers: [FINALIZER] },
    spec: {
      project: PLATFORM_PROJECT,
      source,
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // Chart CRDs and webhooks can lag behind the objects that use them: retry.
        retry: RETRY,
        ...(syncOptions.length > 0 ? { syncOptions } : {}),
      },
    },
  };
}
