import { ENVIRONMENT_LABEL, serviceLabels } from '../../model/labels.js';
import type { Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
import {
  ENVIRONMENTS,
  IN_CLUSTER,
  PREVIEW_LABEL,
  argocdDir,
  bootstrapProjectName,
  namespaceFor,
  previewRepository,
  overlayDir,
  previewGuardDir,
  previewGuardProjectName,
  previewNamespaceGlob,
  previewNamespaceTemplate,
  previewProjectName,
  previewsDir,
  projectName,
  PLATFORM_PROJECT,
  type Env,
} from './names.js';

/**
 * Argo CD objects: AppProjects, the root app-of-apps, one ApplicationSet per environment over
 * the services, and the pull-request ApplicationSets for previews.
 */

type Obj = Record<string, unknown>;

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Namespaces Argo CD creates get the restricted Pod Security level enforced. */
const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};
/**
 * The kinds a preview renders (every strategy and option devops-init generates for a service)
 * and nothing else: no RBAC, no NetworkPolicy (policies are additive: one from the PR could open
 * egress), no Secret, no Ingress, no quota, no AnalysisTemplate (its provider would run in the
 * Rollouts controller, outside the preview's network policies; the preview overlay deletes the
 * service's own). Argo Rollouts creates the ReplicaSets itself, outside Argo CD's project
 * checks; a preview Rollout has no steps, so no analysis. A PR could still point a Rollout at a
 * ClusterAnalysisTemplate (clusterScope): devops-init writes none, and docs/gitops.md says why
 * a cluster should not hold one with a `web` provider taking a URL argument.
 */
export const PREVIEW_KINDS = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'argoproj.io', kind: 'Rollout' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'ConfigMap' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
];
/** What the preview guard deploys into each preview namespace, and nothing else. */
export const PREVIEW_GUARD_KINDS = [
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
];
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
      // Namespace is the only cluster-scoped kind (CreateNamespace: Argo CD checks the namespace it
      // creates against this whitelist like any other object; gitops-engine sync_context.go), and
      // only the destinations' own: a Namespace object in the repository cannot name and adopt
      // another one (argo-cd #3553). The name filter needs Argo CD 3.3; older releases drop it.
      clusterResourceWhitelist: namespaces.map((name) => ({ group: '', kind: 'Namespace', name })),
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

/**
 * Previews run pull-request code: their own project, confined to `<project>-pr-*`, with nothing
 * cluster-scoped (not even their Namespace: the guard application creates it from the default
 * branch) and only the workload kinds a preview renders (PREVIEW_KINDS).
 */
export function previewProject(spec: Spec, model: Model): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: previewProjectName(spec), namespace: spec.gitops.argocdNamespace },
    spec: {
      description: `${spec.project.name} pull-request previews (untrusted code: workload kinds only)`,
      sourceRepos: [model.source.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: previewNamespaceGlob(spec) }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: PREVIEW_KINDS,
      orphanedResources: { warn: true },
    },
  };
}

/**
 * The preview guards' project: it may create the preview Namespace (CreateNamespace adds a
 * Namespace task that goes through the project's permission check like any other object:
 * gitops-engine pkg/sync/sync_context.go autoCreateNamespace, then validateSyncPermissions in
 * controller/sync.go; the name filter needs Argo CD 3.3, older releases drop the field and the
 * namespace is still the Application's destination, confined below) and, inside it, only
 * network policies and quotas. Its Applications come from the guard ApplicationSet, which pins
 * the default branch; sourceRepos cannot pin a revision, so only Argo CD admins may create
 * Applications in it by hand.
 */
export function previewGuardProject(spec: Spec, model: Model): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: previewGuardProjectName(spec), namespace: spec.gitops.argocdNamespace },
    spec: {
      description: `${spec.project.name} preview isolation (namespace, network policies, quota) from the default branch`,
      sourceRepos: [model.source.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: previewNamespaceGlob(spec) }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: previewNamespaceGlob(spec) }],
      namespaceResourceWhitelist: PREVIEW_GUARD_KINDS,
      orphanedResources: { warn: true },
    },
  };
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
 * The services of one environment: an ApplicationSet whose list generator holds one element per
 * service (its name and the overlay it deploys), so 300 services are 300 short list entries in
 * two files, not 600 Application files. The Applications it generates are what the per-service
 * files used to hold, under the same names. Staging syncs itself; production is automated too
 * when the promotion PR is the gate (`productionSync: automated`), otherwise someone presses
 * Sync in Argo CD after the merge. An element carries the fields its Application's source needs
 * (`path` today), so a service deployed differently can carry its own.
 */
export function serviceApplicationSet(spec: Spec, model: Model, services: readonly Service[], env: Env): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: `${spec.project.name}-services-${env}`, namespace: spec.gitops.argocdNamespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: services.filter((svc) => svc.manifests?.kind !== 'helm').map((svc) => ({ service: svc.name, path: servicePath(spec, svc, env) })) } }],
      template: {
        metadata: {
          name: `${spec.project.name}-{{.service}}-${env}`,
          finalizers: [FINALIZER],
          labels: { ...serviceLabels(spec.project.name, '{{.service}}'), [ENVIRONMENT_LABEL]: env },
        },
        spec: serviceApplicationSpec(spec, source(spec, model, '{{.path}}'), env),
      },
    },
  };
}

/**
 * The spec of a service's Application in one environment, whether an ApplicationSet template or
 * an Application of its own renders it: staging syncs itself; production too when the promotion
 * PR is the gate (`productionSync: automated`). The namespace is created with the Pod Security
 * labels of the default branch, never from the service's own files.
 */
function serviceApplicationSpec(spec: Spec, appSource: Obj, env: Env): Obj {
  const automated = env === 'staging' || spec.gitops.productionSync === 'automated';
  return {
    project: projectName(spec),
    source: appSource,
    destination: { server: IN_CLUSTER, namespace: namespaceFor(spec, env) },
    syncPolicy: {
      ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      managedNamespaceMetadata: { labels: POD_SECURITY_LABELS },
      retry: RETRY,
    },
    revisionHistoryLimit: 10,
  };
}

/** The values file devops-init manages beside an adopted Helm chart, per environment: the image digest. */
export const adoptedValuesFile = (env: Env): string => `values-${env}.devops-init.yaml`;

/**
 * What a service's Application deploys in one environment: its generated overlay, or the
 * configuration the repository already had (services[].manifests): a Helm chart with the
 * team's values file for the environment and devops-init's image values layered last, or a
 * Kustomize/plain-manifests folder (the environment's own, else the common one).
 */
export function serviceSource(spec: Spec, model: Model, svc: Service, env: Env): Obj {
  const m = svc.manifests;
  if (m?.kind === 'helm') {
    const own = m[env];
    return source(spec, model, m.path, { helm: { releaseName: svc.name, valueFiles: [...(own ? [own] : []), adoptedValuesFile(env)] } });
  }
  return source(spec, model, servicePath(spec, svc, env));
}

/** The folder Argo CD deploys for a service without a Helm chart: our overlay, or the team's own tree. */
function servicePath(spec: Spec, svc: Service, env: Env): string {
  const m = svc.manifests;
  return m ? (m[env] ?? m.path) : overlayDir(spec, svc, env);
}

/**
 * A service deployed from the team's own Helm chart keeps an Application of its own per
 * environment: its source carries value files the ApplicationSet's list elements do not.
 */
export function helmServiceApplication(spec: Spec, model: Model, svc: Service, env: Env): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { ...metadata(spec, `${spec.project.name}-${svc.name}-${env}`), labels: { ...serviceLabels(spec.project.name, svc.name), [ENVIRONMENT_LABEL]: env } },
    spec: serviceApplicationSpec(spec, serviceSource(spec, model, svc, env), env),
  };
}

const previewAppLabels = (spec: Spec): Record<string, string> => ({ 'app.kubernetes.io/part-of': spec.project.name, [ENVIRONMENT_LABEL]: 'preview' });

/**
 * A preview waits for its namespace, which the guard application creates (with the policies):
 * retry long enough to cover the two ApplicationSets polling GitHub out of step (5 minutes
 * apart at worst): 10 attempts, backing off to 3 minutes, span about 20 minutes.
 */
const PREVIEW_RETRY = { ...RETRY, limit: 10 };

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
 * No CreateNamespace: the PR's app cannot create or label its namespace; it syncs once the
 * guard application (previewGuardApplicationSet) has created the namespace with its
 * network policies, so preview pods never run unconfined.
 */
export function previewApplicationSet(spec: Spec, model: Model): Obj {
  const ns = previewNamespaceTemplate(spec);
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
          labels: previewAppLabels(spec),
        },
        spec: {
          project: previewProjectName(spec),
          source: {
            repoURL: model.source.repoURL,
            targetRevision: '{{.head_sha}}',
            path: previewsDir(spec),
            kustomize: {
              namespace: ns,
              // The preview overlays already pull from the preview repository (never the release one):
              // Argo CD sets the PR's tag on that name.
              images: model.services.map((s) => `${previewRepository(s.image!.repository)}:sha-{{.head_short_sha_7}}`),
            },
          },
          destination: { server: IN_CLUSTER, namespace: ns },
          syncPolicy: { automated: { prune: true, selfHeal: true }, retry: PREVIEW_RETRY },
        },
      },
    },
  };
}

/**
 * The guard of each preview, over the same pull requests: the guard folder from the DEFAULT
 * branch (a fixed targetRevision, never the PR's head) into the preview's namespace, in the
 * guard project. It creates the namespace (CreateNamespace) with the restricted Pod Security
 * labels (managedNamespaceMetadata, set here, on the default branch), then the network
 * policies and quota, so a pull request controls neither.
 *
 * Cleanup: the tracking annotation makes this Application own the namespace (Argo CD documents
 * this use of managedNamespaceMetadata in "Namespace Metadata", sync-options.md; the bookkeeping
 * that keeps an owned managed namespace from being pruned is in Argo CD 2.9+, PR #13999), so when
 * the PR closes or loses its label, deleting the Application (with its finalizer) deletes the
 * namespace and everything in it. That needs annotation-based resource tracking (the default
 * since Argo CD 3.0); with label tracking, the namespace stays behind empty (docs/gitops.md).
 */
export function previewGuardApplicationSet(spec: Spec, model: Model): Obj {
  const ns = previewNamespaceTemplate(spec);
  const app = `${spec.project.name}-pr-{{.number}}-guard`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: `${spec.project.name}-preview-guards`, namespace: spec.gitops.argocdNamespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ pullRequest: pullRequestGenerator(spec, model) }],
      template: {
        metadata: { name: app, finalizers: [FINALIZER], labels: previewAppLabels(spec) },
        spec: {
          project: previewGuardProjectName(spec),
          source: { repoURL: model.source.repoURL, targetRevision: spec.project.defaultBranch, path: previewGuardDir(spec) },
          destination: { server: IN_CLUSTER, namespace: ns },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
            managedNamespaceMetadata: {
              labels: { ...POD_SECURITY_LABELS, 'pod-security.kubernetes.io/audit': 'restricted', ...previewAppLabels(spec) },
              annotations: { 'argocd.argoproj.io/tracking-id': `${app}:/Namespace:/${ns}` },
            },
            retry: RETRY,
          },
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
        // Only the platform's own namespaces (the name filter needs Argo CD 3.3).
        ...[...new Set(platform.namespaces)].map((name) => ({ group: '', kind: 'Namespace', name })),
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
