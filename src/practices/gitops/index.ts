import type { ArgoFile, Model } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { gitopsConfig } from './config.js';
import type { Practice } from '../types.js';
import {
  argocdObjectsApplication,
  bootstrapProject,
  platformApplication,
  platformProject,
  previewApplicationSet,
  previewGuardApplicationSet,
  previewGuardProject,
  previewProject,
  previewTokenSecret,
  project,
  rootApplication,
  serviceApplicationSet,
} from './argocd.js';
import { gitopsHandbook } from './handbook.js';
import {
  ENVIRONMENTS,
  PLATFORM_PROJECT,
  PREVIEW_LABEL,
  PREVIEW_TAG,
  argocdDir,
  gitopsDir,
  namespaceFor,
  previewGuardDir,
  previewNamespaceGlob,
  previewNamespacePlaceholder,
  previewsDir,
} from './names.js';
import { previewGuardFiles } from './preview-guard.js';
import { addPromotion, promotionToken } from './promotion.js';
import { gitopsQuestions } from './questions.js';
import { JAVA_HEAP_PERCENT, serviceWorkload } from './workload.js';
import { PRE_STOP_SLEEP_SECONDS, SHUTDOWN_DRAIN_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS } from '../../model/pod.js';

type Obj = Record<string, unknown>;

const argoFile = (file: string, objects: () => Obj[], comments: string[] = []): ArgoFile => ({ owner: 'gitops', file, objects, comments });

/** The Argo CD part: projects, the app-of-apps, one ApplicationSet per environment over the services. */
function addArgocd(spec: Spec, model: Model): void {
  const argocd = argocdDir(spec);
  model.argocd = {
    owner: 'gitops',
    namespace: spec.gitops.argocdNamespace,
    dir: argocd,
    files: [
      argoFile('project.yaml', () => [project(spec, model)], [
        'Only this repository, only the staging and production namespaces, no cluster-scoped kinds but Namespace (CreateNamespace).',
      ]),
      argoFile('root.yaml', () => [bootstrapProject(spec, model), rootApplication(spec, model)], [
        `Bootstrap once: kubectl apply -n ${spec.gitops.argocdNamespace} -f ${argocd}/root.yaml`,
        `Everything under ${argocd}/apps/ is synced from Git after that (app-of-apps).`,
      ]),
      argoFile('apps/argocd-objects.yaml', () => [argocdObjectsApplication(spec, model)], [
        `Keeps the AppProjects and root.yaml in ${argocd}/ synced from Git too.`,
      ]),
      // Written only when a platform practice (observability, monitoring, logging) deploys apps into it.
      argoFile('platform-project.yaml', () => (model.argocd!.platform.namespaces.length > 0 ? [platformProject(spec, model)] : [])),
    ],
    platform: { namespaces: [], sourceRepos: [model.source.repoURL] },
    platformProjectName: PLATFORM_PROJECT,
    platformApplication: (name, namespace, source, syncOptions) => platformApplication(spec, name, namespace, source, syncOptions),
  };
  // Before issue 13, one Application file per service and environment: sync deletes them when unedited.
  model.retiredPaths = [...(model.retiredPaths ?? []), ...model.services.flatMap((svc) => ENVIRONMENTS.map((env) => `${argocd}/apps/${svc.name}-${env}.yaml`))];
  for (const env of ENVIRONMENTS) {
    model.argocd.files.push(
      argoFile(`apps/services-${env}.yaml`, () => (model.services.length > 0 ? [serviceApplicationSet(spec, model, model.services.map((s) => s.spec), env)] : []), [
        `One Application per service in ${env} (${spec.project.name}-<service>-${env}), generated from this list.`,
      ]),
    );
  }
}

/**
 * Previews: an overlay per service (in the workloads), one namespace per PR, their own project,
 * and CI building their images. The PR's manifests (the previews folder, at the PR's head) hold
 * workloads only; the namespace, its Pod Security labels, network policies and quota come from
 * the guard folder, deployed from the default branch by a second ApplicationSet in a project
 * that may create nothing else.
 */
function addPreviews(spec: Spec, model: Model): void {
  model.previews = {
    owner: 'gitops',
    dir: previewsDir(spec),
    label: PREVIEW_LABEL,
    namespacePlaceholder: previewNamespacePlaceholder(spec),
    files: [],
    guardDir: previewGuardDir(spec),
  };
  model.manifests.push({ owner: 'gitops', dir: previewGuardDir(spec), files: previewGuardFiles(spec, model), partOf: spec.project.name });
  model.argocd!.files.push(
    argoFile('project-previews.yaml', () => [previewProject(spec, model)], [
      `Previews run ${model.source.changeRequest.name} code: only <project>-pr-* namespaces, only workload kinds, nothing cluster-scoped.`,
    ]),
    argoFile('project-preview-guards.yaml', () => [previewGuardProject(spec, model)], [
      'Preview isolation from the default branch: the preview Namespace, and in it only NetworkPolicies and quotas.',
    ]),
    argoFile('apps/previews.yaml', () => [previewApplicationSet(spec, model)], [
      `One preview per open ${model.source.changeRequest.name} labelled "${PREVIEW_LABEL}"; CI pushes each service's image as sha-<7-char head SHA>.`,
      `It deploys the ${model.source.changeRequest.short} head into a namespace it cannot create: apps/preview-guards.yaml creates it (and its policies) first.`,
    ]),
    argoFile('apps/preview-guards.yaml', () => [previewGuardApplicationSet(spec, model)], [
      `The guard of each preview: ${previewGuardDir(spec)} from the default branch, never the ${model.source.changeRequest.short}'s head.`,
      'It creates the namespace (restricted Pod Security), default-deny network policies and a quota, and owns the namespace,',
      `so closing the ${model.source.changeRequest.short} deletes it with everything in it (needs annotation resource tracking, the Argo CD 3 default).`,
    ]),
  );
  // One pipeline builds every service: a preview namespace runs all of them from the PR head,
  // so per-service path filters (which skip services a PR does not touch) must not decide.
  model.pipelines.push({
    kind: 'preview-images',
    id: 'previews',
    owner: 'gitops',
    label: PREVIEW_LABEL,
    tag: PREVIEW_TAG,
    services: model.services.map((svc) => ({ service: svc.name, image: svc.image!.repository, context: svc.image!.context, file: svc.image!.dockerfile })),
    registry: model.registry!,
  });
}

function docsData(spec: Spec, model: Model): Obj {
  const token = promotionToken(spec);
  return {
    dir: gitopsDir(spec),
    argocdNamespace: spec.gitops.argocdNamespace,
    staging: namespaceFor(spec, 'staging'),
    production: namespaceFor(spec, 'production'),
    productionAutomated: spec.gitops.productionSync === 'automated',
    previews: spec.gitops.previews,
    previewLabel: PREVIEW_LABEL,
    project: spec.project.name,
    githubToken: token === 'pipeline',
    mintedToken: token === 'app',
    services: model.services.map((svc) => ({ name: svc.name, image: svc.image!.repository })),
    defaultBranch: spec.project.defaultBranch,
    rollouts: model.workloads.some((w) => w.kind === 'Rollout'),
    flags: model.workloads.some((w) => w.overlays.some((o) => o.configMaps.length > 0)),
    preStopSeconds: PRE_STOP_SLEEP_SECONDS,
    drainSeconds: SHUTDOWN_DRAIN_SECONDS,
    gracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
    javaHeapPercent: JAVA_HEAP_PERCENT,
    registry: { [spec.ci.registry]: true },
    // The forge's words for a change request, and its own instructions where they differ.
    gitlab: model.source.provider === 'gitlab',
    cr: model.source.changeRequest,
    previewTokenSecret: previewTokenSecret(spec, model),
    // The clusters the iac practice provisions, when it is on: where to bootstrap Argo CD.
    clusters: model.infra ? model.infra.environments.map((e) => ({ environment: e.name, name: e.cluster.name, kubeconfigCommand: e.cluster.kubeconfigCommand })) : null,
  };
}

/**
 * GitOps: a Kustomize workload per service (base + staging/production/preview overlays),
 * Argo CD projects and applications, promotion through change requests, preview environments.
 */
function contribute(spec: Spec, model: Model): void {
  addArgocd(spec, model);
  model.namespaces = {
    owner: 'gitops',
    staging: namespaceFor(spec, 'staging'),
    production: namespaceFor(spec, 'production'),
    ...(spec.gitops.previews ? { previews: previewNamespaceGlob(spec) } : {}),
  };
  for (const svc of model.services) model.workloads.push(serviceWorkload(spec, svc));
  addPromotion(spec, model);
  if (spec.gitops.previews) addPreviews(spec, model);
  model.files.push({ owner: 'gitops', path: 'docs/gitops.md', template: 'gitops/gitops.md.hbs', data: () => docsData(spec, model), ownership: 'managed' });
}

export const gitopsPractice: Practice = {
  id: 'gitops',
  title: 'GitOps (Kustomize + Argo CD)',
  handbook: gitopsHandbook,
  config: gitopsConfig,
  questions: gitopsQuestions,
  contribute,
};
