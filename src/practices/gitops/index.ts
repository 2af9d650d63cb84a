import { ACTION_PINS } from '../../data/action-pins.js';
import type { Service, Spec } from '../../spec/types.js';
import type { FileSpec, Practice } from '../types.js';
import { imageRepository } from '../shared/image.js';
import {
  argocdObjectsApplication,
  bootstrapProject,
  previewApplicationSet,
  previewProject,
  project,
  rootApplication,
  serviceApplication,
} from './argocd.js';
import { gitopsHandbook } from './handbook.js';
import { baseKustomizationData, overlayKustomizationData, previewsKustomizationData } from './kustomize.js';
import {
  ENVIRONMENTS,
  KUSTOMIZE_VERSION,
  PREVIEW_LABEL,
  UNPROMOTED_DIGEST,
  argocdDir,
  gitopsDir,
  namespaceFor,
  overlayDir,
  previewNamespacePlaceholder,
  previewsDir,
  serviceDir,
  usesRollout,
  type OverlayName,
} from './model.js';
import { gitopsQuestions } from './questions.js';
import { deployment, hpa, hpaPatch, pdb, service, serviceAccount } from './workload.js';

// Re-exported: the CI practice imports it from here.
export { KUSTOMIZE_VERSION } from './model.js';

const OBJECTS = 'gitops/objects.yaml.hbs';
const APP_TOKEN_ACTION = 'actions/create-github-app-token';

type Obj = Record<string, unknown>;

/** A managed YAML file holding `objects`, with `comments` on top (one line each). */
export function objectsFile(path: string, objects: Obj[], comments: string[] = [], ownership: FileSpec['ownership'] = 'managed'): FileSpec {
  for (const c of comments) if (/[\r\n]/.test(c)) throw new Error(`comment for ${path} spans lines`);
  return { path, template: OBJECTS, data: { objects, comments }, ownership };
}

function serviceFiles(spec: Spec, svc: Service): FileSpec[] {
  const base = `${serviceDir(spec, svc)}/base`;
  const files: FileSpec[] = [
    { path: `${base}/kustomization.yaml`, template: 'gitops/base-kustomization.yaml.hbs', data: baseKustomizationData(spec, svc), ownership: 'managed' },
    objectsFile(`${base}/service.yaml`, [service(spec, svc)]),
    objectsFile(`${base}/serviceaccount.yaml`, [serviceAccount(spec, svc)]),
    objectsFile(`${base}/hpa.yaml`, [hpa(spec, svc)], ['Bounds here are production\'s; each overlay patches its own (patch-hpa.yaml).']),
    objectsFile(`${base}/pdb.yaml`, [pdb(spec, svc)], [
      'maxUnavailable 1 rather than minAvailable: a drain can always evict one pod at a time.',
    ]),
  ];
  if (!usesRollout(spec, svc)) {
    files.push(
      objectsFile(`${base}/deployment.yaml`, [deployment(spec, svc)], [
        'Rolling update: maxSurge 25%, maxUnavailable 0, so serving capacity never drops during a deploy;',
        'the PodDisruptionBudget (maxUnavailable 1) covers node drains. No replicas: the HPA owns the count.',
        'Restricted Pod Security: non-root UID 10001, no privilege escalation, no capabilities, RuntimeDefault',
        'seccomp, read-only root filesystem with a writable /tmp. CPU has a request but no limit (a CPU limit',
        'throttles under CFS quota and shows up as tail latency); memory has a limit because it cannot be reclaimed.',
        `The health path (${svc.healthPath}) must not check dependencies: liveness failures restart the pod.`,
      ]),
    );
  }
  const overlays: OverlayName[] = [...ENVIRONMENTS, ...(spec.gitops.previews ? (['preview'] as const) : [])];
  for (const overlay of overlays) {
    const dir = overlayDir(spec, svc, overlay);
    files.push(
      { path: `${dir}/kustomization.yaml`, template: 'gitops/overlay-kustomization.yaml.hbs', data: overlayKustomizationData(spec, svc, overlay), ownership: 'managed' },
      objectsFile(`${dir}/patch-hpa.yaml`, [hpaPatch(svc, overlay)]),
    );
  }
  for (const env of ENVIRONMENTS) {
    files.push(objectsFile(`${argocdDir(spec)}/apps/${svc.name}-${env}.yaml`, [serviceApplication(spec, svc, env)]));
  }
  return files;
}

function previewFiles(spec: Spec): FileSpec[] {
  const namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      // Renamed to <project>-pr-<number> by the kustomization's namespace (set by Argo CD).
      name: previewNamespacePlaceholder(spec),
      labels: {
        'app.kubernetes.io/part-of': spec.project.name,
        'app.kubernetes.io/environment': 'preview',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
  return [
    { path: `${previewsDir(spec)}/kustomization.yaml`, template: 'gitops/previews-kustomization.yaml.hbs', data: previewsKustomizationData(spec), ownership: 'managed' },
    objectsFile(`${previewsDir(spec)}/namespace.yaml`, [namespace], [
      'Part of the preview app, so deleting the app (PR closed) deletes the namespace too.',
    ]),
    objectsFile(`${argocdDir(spec)}/project-previews.yaml`, [previewProject(spec)], [
      'Previews run pull-request code: they may only touch <project>-pr-* namespaces.',
    ]),
    objectsFile(`${argocdDir(spec)}/apps/previews.yaml`, [previewApplicationSet(spec)], [
      `One preview per open pull request labelled "${PREVIEW_LABEL}"; CI pushes each service's image as sha-<7-char head SHA>.`,
    ]),
  ];
}

/**
 * Which token opens the promotion pull requests (promote.yml here, the staging PR in CI):
 * - `github-token` (promotion: pull-request): the workflow's GITHUB_TOKEN; checks do not
 *   start on a PR it opens (events it causes start no workflows).
 * - `stored-token` (promotion: app-token): the PROMOTION_TOKEN secret the team stores.
 * - `minted-app-token` (promotion: app-token, once src/data/action-pins.ts has a verified
 *   pin of actions/create-github-app-token): minted per run from a GitHub App.
 * CI makes the same choice through appTokenPromotion(), so both workflows always agree.
 */
export type PromotionToken = 'github-token' | 'stored-token' | 'minted-app-token';

export function promotionToken(spec: Spec): PromotionToken {
  if (spec.gitops.promotion !== 'app-token') return 'github-token';
  return APP_TOKEN_ACTION in ACTION_PINS ? 'minted-app-token' : 'stored-token';
}

/** True when app-token mode mints the token with actions/create-github-app-token (see above). */
export function appTokenPromotion(spec: Spec): boolean {
  return promotionToken(spec) === 'minted-app-token';
}

/** The flags templates branch on (promote.yml and docs/gitops.md). */
function tokenData(spec: Spec): Obj {
  const token = promotionToken(spec);
  return { githubToken: token === 'github-token', storedToken: token === 'stored-token', mintedToken: token === 'minted-app-token' };
}

function promoteData(spec: Spec): Obj {
  return {
    services: spec.services.map((svc) => ({ name: svc.name, image: imageRepository(spec, svc) })),
    dir: gitopsDir(spec),
    runner: spec.ci.runner,
    kustomizeVersion: KUSTOMIZE_VERSION,
    unpromoted: UNPROMOTED_DIGEST,
    addPaths: `${gitopsDir(spec)}/*/overlays/production/kustomization.yaml`,
    ...tokenData(spec),
  };
}

function docsData(spec: Spec): Obj {
  return {
    dir: gitopsDir(spec),
    argocdNamespace: spec.gitops.argocdNamespace,
    staging: namespaceFor(spec, 'staging'),
    production: namespaceFor(spec, 'production'),
    productionAutomated: spec.gitops.productionSync === 'automated',
    previews: spec.gitops.previews,
    previewLabel: PREVIEW_LABEL,
    project: spec.project.name,
    ...tokenData(spec),
    services: spec.services.map((svc) => ({ name: svc.name, image: imageRepository(spec, svc) })),
    defaultBranch: spec.project.defaultBranch,
    rollouts: spec.practices.includes('deploy') && spec.services.some((svc) => svc.deploy.strategy !== 'rolling'),
    registry: { [spec.ci.registry]: true },
  };
}

export const gitopsPractice: Practice = {
  id: 'gitops',
  title: 'GitOps (Kustomize + Argo CD)',
  handbook: gitopsHandbook,
  requires: ['ci'],
  questions: gitopsQuestions,
  files(spec: Spec): FileSpec[] {
    const argocd = argocdDir(spec);
    const files: FileSpec[] = [
      objectsFile(`${argocd}/project.yaml`, [project(spec)], [
        'Only this repository, only the staging and production namespaces, no cluster-scoped kinds but Namespace.',
      ]),
      objectsFile(`${argocd}/root.yaml`, [bootstrapProject(spec), rootApplication(spec)], [
        `Bootstrap once: kubectl apply -n ${spec.gitops.argocdNamespace} -f ${argocd}/root.yaml`,
        `Everything under ${argocd}/apps/ is synced from Git after that (app-of-apps).`,
      ]),
      objectsFile(`${argocd}/apps/argocd-objects.yaml`, [argocdObjectsApplication(spec)], [
        `Keeps the AppProjects and root.yaml in ${argocd}/ synced from Git too.`,
      ]),
      { path: '.github/workflows/promote.yml', template: 'gitops/promote.yml.hbs', data: promoteData(spec), ownership: 'managed' },
      { path: 'docs/gitops.md', template: 'gitops/gitops.md.hbs', data: docsData(spec), ownership: 'managed' },
    ];
    for (const svc of spec.services) files.push(...serviceFiles(spec, svc));
    if (spec.gitops.previews) files.push(...previewFiles(spec));
    return files;
  },
};
