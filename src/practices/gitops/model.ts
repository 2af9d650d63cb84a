import type { Service, Spec, Strategy } from '../../spec/types.js';

/**
 * Names and facts every GitOps file agrees on: namespaces, Argo CD names, labels and
 * the folder layout. One home, so the Kustomize overlays, the Argo CD objects, the
 * promotion workflow and the docs can never disagree.
 */

export type Env = 'staging' | 'production';
export type OverlayName = Env | 'preview';
export const ENVIRONMENTS: readonly Env[] = ['staging', 'production'];

/** The in-cluster API server, the only destination cluster we generate for. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Label the overlays put on every object and pod template (never on selectors). */
export const ENVIRONMENT_LABEL = 'app.kubernetes.io/environment';

/**
 * Pod-template annotation holding the pinned image digest (copied there by a kustomize
 * replacement in each overlay); the OpenTelemetry env reads it as `service.version`.
 * An annotation, not a label: label values stop at 63 characters and a digest is 71.
 */
export const VERSION_ANNOTATION = 'app.kubernetes.io/version';

/** The PR label that asks for a preview environment. */
export const PREVIEW_LABEL = 'preview';

/** An all-zero digest: the "nothing promoted yet" pin. It matches no image, so pods cannot start on it. */
export const UNPROMOTED_DIGEST = `sha256:${'0'.repeat(64)}`;

/** The tag the preview overlay carries until Argo CD sets the PR's own tag (never pulled). */
export const UNBUILT_PREVIEW_TAG = 'sha-0000000';

/**
 * The kustomize the promotion jobs install (promote.yml here, CI's staging job): the same
 * minor as kubectl 1.32 embeds, so `kustomize edit` keeps the overlays in the layout we write.
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
  return spec.gitops.dir.replace(/\/+$/, '');
}

export function serviceDir(spec: Spec, svc: Service): string {
  return `${gitopsDir(spec)}/${svc.name}`;
}

export function overlayDir(spec: Spec, svc: Service, overlay: OverlayName): string {
  return `${serviceDir(spec, svc)}/overlays/${overlay}`;
}

export function argocdDir(spec: Spec): string {
  return `${gitopsDir(spec)}/argocd`;
}

export function previewsDir(spec: Spec): string {
  return `${gitopsDir(spec)}/previews`;
}

/** The Git URL Argo CD reads manifests from; the AppProjects allow only this one. */
export function repoURL(spec: Spec): string {
  return `https://github.com/${spec.project.repository}.git`;
}

/** Argo CD names are global in the Argo CD namespace: prefix with the project. */
export function applicationName(spec: Spec, svc: Service, env: Env): string {
  return `${spec.project.name}-${svc.name}-${env}`;
}

export const projectName = (spec: Spec): string => spec.project.name;
export const previewProjectName = (spec: Spec): string => `${spec.project.name}-previews`;
export const bootstrapProjectName = (spec: Spec): string => `${spec.project.name}-bootstrap`;

/**
 * The strategy a service really deploys with: the deploy practice owns strategies, so
 * without it every service rolls (plain Deployment).
 */
export function strategyOf(spec: Spec, svc: Service): Strategy {
  return spec.practices.includes('deploy') ? svc.deploy.strategy : 'rolling';
}

export function usesRollout(spec: Spec, svc: Service): boolean {
  return strategyOf(spec, svc) !== 'rolling';
}

export function flagsOn(spec: Spec, svc: Service): boolean {
  return spec.practices.includes('deploy') && svc.deploy.featureFlags;
}

/** Labels on every object of a service; the selector uses only the name. */
export function serviceLabels(spec: Spec, svc: Service): Record<string, string> {
  return { 'app.kubernetes.io/name': svc.name, 'app.kubernetes.io/part-of': spec.project.name };
}

export function selectorLabels(svc: Service): Record<string, string> {
  return { 'app.kubernetes.io/name': svc.name };
}
