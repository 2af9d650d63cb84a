/**
 * Pod lifecycle conventions every container of a service's pod shares (the app, and sidecars such
 * as flagd that serve it), so the workload and its sidecars drain on the same schedule.
 */

type Obj = Record<string, unknown>;

/**
 * Graceful drain. When a pod is deleted, the kubelet runs preStop while, in parallel, the
 * endpoint controller, kube-proxy on every node and any ingress controller stop sending it new
 * connections; that takes a few seconds, so the app must keep serving meanwhile. The preStop
 * hook is Kubernetes' own `sleep` action (KEP-3960: alpha 1.29, beta and on by default since
 * 1.30, GA 1.34), which needs no `sleep` binary in the image: distroless and scratch images have
 * none, so `exec: [sleep, N]` would fail there. On clusters older than 1.30 the feature gate is
 * off and the hook cannot be used (our reading of KEP-3960: the API server drops the disabled
 * field, leaving an empty handler, which validation refuses; not tried on such a cluster):
 * there, use `exec` for images with a shell, or delete the hook and delay shutdown in the app.
 */
export const PRE_STOP_SLEEP_SECONDS = 10;
/**
 * After preStop the app gets SIGTERM and drains in-flight requests: 30 s is what the common
 * frameworks allow by default (Spring Boot's graceful shutdown phase, gunicorn's graceful
 * timeout). The grace period covers both plus 5 s of margin, then the kubelet sends SIGKILL.
 */
export const SHUTDOWN_DRAIN_SECONDS = 30;
export const TERMINATION_GRACE_PERIOD_SECONDS = PRE_STOP_SLEEP_SECONDS + SHUTDOWN_DRAIN_SECONDS + 5;

/** The pre-stop hook every serving container gets (the app, and sidecars that serve it). */
export function preStopSleep(): Obj {
  return { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } };
}

