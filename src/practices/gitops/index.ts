import { retireOverlayPatchFiles } from '../../model/build.js';
import { previewIdentity } from '../../model/preview-identity.js';
import type { ArgoFile, Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
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
  adoptedValuesFile,
  previewTokenSecret,
  project,
  rootApplication,
  serviceApplicationSet,
  helmServiceApplication,
} from './argocd.js';
import { gitopsHandbook } from './handbook.js';
import {
  ENVIRONMENTS,
  PLATFORM_PROJECT,
  PREVIEW_LABEL,
  PREVIEW_TAG,
  previewRepository,
  UNPROMOTED_DIGEST,
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
import { JAVA_HEAP_PERCENT, configSecretName, serviceWorkload } from './workload.js';
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
  const helm = model.services.filter((svc) => svc.spec.manifests?.kind === 'helm');
  model.retiredPaths = [
    ...(model.retiredPaths ?? []),
    ...model.services.filter((svc) => !helm.includes(svc)).flatMap((svc) => ENVIRONMENTS.map((env) => `${argocd}/apps/${svc.name}-${env}.yaml`)),
  ];
  for (const env of ENVIRONMENTS) {
    model.argocd.files.push(
      argoFile(`apps/services-${env}.yaml`, () => (model.services.length > helm.length ? [serviceApplicationSet(spec, model, model.services.map((s) => s.spec), env)] : []), [
        `One Application per service in ${env} (${spec.project.name}-<service>-${env}), generated from this list.`,
        ...(helm.length ? [`Services deployed from their own Helm chart have their own file: ${helm.map((svc) => `apps/${svc.name}-${env}.yaml`).join(', ')}.`] : []),
      ]),
      ...helm.map((svc) => argoFile(`apps/${svc.name}-${env}.yaml`, () => [helmServiceApplication(spec, model, svc.spec, env)], [
        `${svc.name} in ${env}, from the team's Helm chart ${svc.spec.manifests!.path} (values: the team's file, then ${adoptedValuesFile(env)}).`,
      ])),
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
    // Adopted services (services[].manifests) have no preview overlay: no preview image either.
    services: model.services.filter((svc) => !svc.spec.manifests).map((svc) => ({ service: svc.name, image: previewRepository(svc.image!.repository), context: svc.image!.context, file: svc.image!.dockerfile, namedContexts: svc.image!.namedContexts })),
    registry: model.registry!,
  });
}

/**
 * A service whose Kubernetes configuration the repository already has (services[].manifests):
 * Argo CD deploys that (see serviceSource) and no deploy/<service> tree is written. For a Helm
 * chart, a values file per environment holds the image (digest), layered last.
 */
function addAdopted(spec: Spec, model: Model, svc: Service): void {
  const m = svc.manifests!;
  const image = model.services.find((s) => s.name === svc.name)!.image!.repository;
  if (m.kind === 'helm') {
    for (const env of ENVIRONMENTS) {
      model.files.push({
        owner: 'gitops',
        path: `${m.path}/${adoptedValuesFile(env)}`,
        template: 'gitops/helm-values.yaml.hbs',
        data: { service: svc.name, env, repository: image, digest: UNPROMOTED_DIGEST, application: `apps/${svc.name}-${env}.yaml`, argocd: argocdDir(spec), cr: model.source.changeRequest },
        ownership: 'seeded',
      });
    }
  }
  const where = m.kind === 'helm' ? `the Helm chart ${m.path}` : m.kind === 'kustomize' ? `the Kustomize tree ${m.path}` : `the manifests in ${m.path}`;
  model.warnings.push({
    owner: 'gitops',
    text:
      `${svc.name}: Argo CD deploys ${where} (services[].manifests), not a generated deploy tree. ` +
      (m.kind === 'helm'
        ? `CI does not promote its image yet: set the digest in ${m.path}/${adoptedValuesFile('staging')} and ${adoptedValuesFile('production')} by ${model.source.changeRequest.short}. `
        : `CI does not promote its image: pin it in ${m.path} yourself. `) +
      'It gets no preview, and devops-init adds no probes, environment or rollout to it (docs/gitops.md, "Adopted manifests").',
  });
}

/** Services Argo CD deploys from the repository's own manifests. */
function adoptedServices(spec: Spec): Obj[] {
  return spec.services.flatMap((s) => {
    const m = s.manifests;
    if (!m) return [];
    return [{ name: s.name, kind: m.kind, helm: m.kind === 'helm', path: m.path, staging: m.staging ?? null, production: m.production ?? null, stagingValues: `${m.path}/${adoptedValuesFile('staging')}`, productionValues: `${m.path}/${adoptedValuesFile('production')}` }];
  });
}

/** How the workload's probes work, in a few words for the docs table. */
function probeWords(s: Service): string {
  if (s.kind === 'job' || s.kind === 'cronjob') return 'none (runs to completion)';
  const p = s.probes;
  const port = p.port ? ` on port ${p.port}` : '';
  if (p.type === 'http') return `HTTP GET ${p.path ?? s.healthPath}${p.readinessPath ? `, readiness ${p.readinessPath}` : ''}${port}`;
  if (p.type === 'grpc') return `gRPC health${port}`;
  if (p.type === 'tcp') return `TCP connect${port} (no HTTP route known)`;
  return s.kind === 'worker' ? 'none (no port to probe)' : 'none';
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
    kinds: spec.services.filter((s) => !s.manifests).map((s) => ({ name: s.name, kind: s.kind, probes: probeWords(s), schedule: s.schedule ?? null })),
    requiredEnv: spec.services.filter((s) => (s.requiredEnv ?? []).length > 0).map((s) => ({ name: s.name, secret: configSecretName(s), keys: s.requiredEnv!, adopted: !!s.manifests, literals: s.requiredEnv!.map((k) => `--from-literal=${k}=...`).join(' ') })),
    actuator: spec.services.some((s) => s.probes.type === 'http' && (s.probes.path ?? s.healthPath).startsWith('/actuator/health')),
    tcpProbes: spec.services.filter((s) => !s.manifests && s.probes.type === 'tcp').map((s) => s.name),
    adopted: adoptedServices(spec),
    defaultBranch: spec.project.defaultBranch,
    rollouts: model.workloads.some((w) => w.kind === 'Rollout'),
    flags: model.workloads.some((w) => w.overlays.some((o) => o.configMaps.length > 0)),
    preStopSeconds: PRE_STOP_SLEEP_SECONDS,
    drainSeconds: SHUTDOWN_DRAIN_SECONDS,
    gracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
    javaHeapPercent: JAVA_HEAP_PERCENT,
    registry: { [spec.ci.registry]: true },
    signingAttestation: spec.ci.signing === 'attestation',
    repository: spec.project.repository,
    // The preview push identity CI reads from a variable when iac provisions none.
    previewIdentity: spec.gitops.previews ? previewIdentity(model.registry) : null,
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
  for (const svc of model.services) {
    if (svc.spec.manifests) addAdopted(spec, model, svc.spec);
    else model.workloads.push(serviceWorkload(spec, svc));
  }
  // Before issue 13's inline patches, each overlay patch had its own file (patch-hpa.yaml,
  // patch-cronjob.yaml): sync deletes them when unedited. Deploy retires the Rollout's.
  for (const w of model.workloads) for (const o of w.overlays) retireOverlayPatchFiles(model, o, o.patches);
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
