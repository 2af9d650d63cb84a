import type { Service, Spec } from '../../spec/types.js';

/**
 * Names and facts every GitOps file agrees on: namespaces, Argo CD names and the folder
 * layout. One home, so the Kustomize overlays, the Argo CD objects, the promotion pipelines
 * and the docs can never disagree.
 */

export type Env = 'staging' | 'production';
export const ENVIRONMENTS: readonly Env[] = ['staging', 'production'];

/** The in-cluster API server, the only destination cluster we generate for. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The PR label that asks for a preview environment. */
export const PREVIEW_LABEL = 'preview';

/** An all-zero digest: the "nothing promoted yet" pin. It matches no image, so pods cannot start on it. */
export const UNPROMOTED_DIGEST = `sha256:${'0'.repeat(64)}`;

/** The tag the preview overlay carries until Argo CD sets the PR's own tag (never pulled). */
export const UNBUILT_PREVIEW_TAG = 'sha-0000000';

/**
 * The tag every preview image gets: `sha-` and the first 7 characters of the pull request's
 * head commit, which is what the preview ApplicationSet deploys (`sha-{{.head_short_sha_7}}`).
 */
export const PREVIEW_TAG = { prefix: 'sha-', shortShaLength: 7 } as const;

/**
 * Preview images (pull request code) go to a repository of their own, never the release one
 * (issue 9 #6/#12): `<image repository>-preview`. A preview push credential then needs no
 * write access to the images staging and production run, and a release can never be a
 * preview build under the same name. iac names its ECR preview repositories the same way.
 */
export const previewRepository = (repository: string): string => `${repository}-preview`;

/**
 * The kustomize the promotion jobs install (the production promotion, CI's staging job): the
 * same minor as kubectl 1.32 embeds, so `kustomize edit` keeps the overlays in the layout we write.
 */
export const KUSTOMIZE_VERSION = '5.5.0';

export function namespaceFor(spec: Spec, env: Env): string {
  return `${spec.project.name}-${env}`;
}

/** Preview namespaces are `<project>-pr-<number>`; this is the stand-in the overlay builds with. */
export function previewNamespacePlaceholder(spec: Spec): string {
  return `${spec.project.name}-preview`;
}

export function gitopsDir(spec: Spec): string {
  return spec.gitops.dir;
}

export function serviceDir(spec: Spec, svc: Pick<Service, 'name'>): string {
  return `${gitopsDir(spec)}/${svc.name}`;
}

export function overlayDir(spec: Spec, svc: Pick<Service, 'name'>, overlay: Env | 'preview'): string {
  return `${serviceDir(spec, svc)}/overlays/${overlay}`;
}

export function argocdDir(spec: Spec): string {
  return `${gitopsDir(spec)}/argocd`;
}

export function previewsDir(spec: Spec): string {
  return `${gitopsDir(spec)}/previews`;
}

/** The preview guard folder: deployed from the default branch into every preview namespace. */
export function previewGuardDir(spec: Spec): string {
  return `${gitopsDir(spec)}/preview-guard`;
}

/** Preview namespaces, as a glob (AppProject destinations) and for one pull request (ApplicationSet template). */
export const previewNamespaceGlob = (spec: Spec): string => `${spec.project.name}-pr-*`;
export const previewNamespaceTemplate = (spec: Spec): string => `${spec.project.name}-pr-{{.number}}`;

/** Argo CD names are global in the Argo CD namespace: prefix with the project. */
export function applicationName(spec: Spec, svc: Service, env: Env): string {
  return `${spec.project.name}-${svc.name}-${env}`;
}

export const projectName = (spec: Spec): string => spec.project.name;
export const previewProjectName = (spec: Spec): string => `${spec.project.name}-previews`;
export const previewGuardProjectName = (spec: Spec): string => `${spec.project.name}-preview-guards`;
export const bootstrapProjectName = (spec: Spec): string => `${spec.project.name}-bootstrap`;

/**
 * The Argo CD project for cluster-wide telemetry (backends, collector, log shipper, alert
 * rules): service projects allow no cluster-scoped kinds; these apps need a few.
 */
export const PLATFORM_PROJECT = 'platform';
