/**
 * Kubernetes naming conventions every manifest agrees on: recommended labels, the environment
 * label the overlays set, the version annotation. One home, so workloads, Rollouts, rules and
 * dashboards select the same objects.
 */

/** Label the overlays put on every object and pod template (never on selectors). */
export const ENVIRONMENT_LABEL = 'app.kubernetes.io/environment';

/**
 * Pod-template annotation holding the pinned image digest (copied there by a kustomize
 * replacement in each overlay); the OpenTelemetry env reads it as `service.version`.
 * An annotation, not a label: label values stop at 63 characters and a digest is 71.
 */
export const VERSION_ANNOTATION = 'app.kubernetes.io/version';

/** Labels on every object of a service; the selector uses only the name. */
export function serviceLabels(project: string, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/part-of': project };
}

export function selectorLabels(service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service };
}

/**
 * The namespace a service runs in per environment, `<project>-<env>` (gitops' overlays; iac
 * binds workload identities to it). Kept here so a practice that is not gitops can name it.
 */
export function environmentNamespace(project: string, env: string): string {
  return `${project}-${env}`;
}
