/**
 * OpenTelemetry for Node images, installed from a lock devops-init ships (issue 9 item 18): one
 * managed copy per repository, at a fixed folder, which the seeded Node Dockerfile reads through
 * a BuildKit named build context, so it works whatever the service's own build context is and
 * is never copied per service.
 */

/** The named build context CI passes (`docker build --build-context otel-node=<dir>`). */
export const OTEL_NODE_CONTEXT = 'otel-node';
/** The repository folder the lock is written to (devops-init's own folder; managed). */
export const OTEL_NODE_DIR = '.devops-init/otel/node';
/** The two managed files in it, and the shipped files they are copied from (under templates/). */
export const OTEL_NODE_FILES = [
  { path: `${OTEL_NODE_DIR}/package.json`, shipped: 'observability/otel-node/package.json' },
  { path: `${OTEL_NODE_DIR}/package-lock.json`, shipped: 'observability/otel-node/package-lock.json' },
] as const;

/** Paths under `.devops-init/` that a practice generates (the lock may list them). */
export const GENERATED_IN_STATE_DIR: ReadonlySet<string> = new Set(OTEL_NODE_FILES.map((f) => f.path));

/** `name=folder` lines, sorted by name: docker/build-push-action's `build-contexts` input. */
export function buildContextLines(contexts: Record<string, string>): string[] {
  return Object.keys(contexts)
    .sort()
    .map((name) => `${name}=${contexts[name]}`);
}
