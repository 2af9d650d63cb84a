import type { DrillRehearsal, Model } from '../../model/types.js';

/** The CI secret (GitHub environment secret, GitLab environment-scoped File variable) holding the kubeconfig. */
export const KUBECONFIG_SECRET = 'DRILL_KUBECONFIG';
/** kubectl the GitHub job installs (azure/setup-kubectl): a released version, within one minor of current EKS/GKE clusters. */
export const KUBECTL_VERSION = 'v1.32.4';
/**
 * The GitLab job's image: kubectl with bash. A guess: the tag was not verified from here; check it
 * exists (or use your own image with kubectl and bash) and pin it by digest.
 */
export const KUBECTL_IMAGE = 'alpine/k8s:1.32.4';
/** Longest the rehearsal waits for the service to be fully ready again. */
export const RECOVERY_TIMEOUT_SECONDS = 600;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The automated rehearsal, where the setup allows it: GitOps namespaces and long-running
 * workloads (Deployments or Rollouts) to disturb. Undefined otherwise.
 */
export function drillRehearsal(model: Model, github: boolean, defaultEnvironment: 'staging' | 'production'): DrillRehearsal | undefined {
  const ns = model.namespaces;
  const services = model.workloads.filter((w) => w.kind === 'Deployment' || w.kind === 'Rollout').map((w) => w.service);
  if (!ns || services.length === 0) return undefined;
  return {
    scriptPath: github ? '.github/incident/rehearse.sh' : '.gitlab/incident/rehearse.sh',
    services,
    namespaces: { staging: ns.staging, production: ns.production },
    defaultEnvironment,
    secret: KUBECONFIG_SECRET,
    kubectlVersion: KUBECTL_VERSION,
    image: KUBECTL_IMAGE,
    timeoutSeconds: RECOVERY_TIMEOUT_SECONDS,
  };
}

/**
 * The rehearsal script: delete the pods of one service in one zone (or on one node, where nodes
 * carry no zone label) and time until as many pods are ready as before. Guarded: staging only,
 * unless called with production and DRILL_CONFIRM=production (and CI's protected
 * environment approved the job, the only place the production kubeconfig is readable).
 */
export function rehearsalScript(r: DrillRehearsal, dashboards: Record<string, string>): string {
  const services = r.services.map((s) => `  ${q(s)}) dashboard=${q(dashboards[s] ?? '')} ;;`);
  return `#!/usr/bin/env bash
# Failover rehearsal: deletes the pods of one service in one zone (or on one node when nodes carry no zone label) and
# times until as many pods are ready as before. It refuses any environment but staging unless
# called with production and DRILL_CONFIRM=production; CI runs it in the matching protected
# environment, the only place that environment's kubeconfig (${r.secret}) can be read.
#
# Usage: rehearse.sh staging|production (the CI job's environment, an argument so no variable
# can change it). Variables: DRILL_SERVICE, DRILL_CONFIRM, DRILL_ZONE (optional), DRILL_CONTEXT
# (optional: the kubeconfig context it must use), ${r.secret} (the kubeconfig, or the path of a
# file holding it) or KUBECONFIG.
set -euo pipefail

fail() {
  echo "rehearse: $*" >&2
  exit 2
}

environment="\${1:-}"
case "$environment" in
  staging) namespace=${q(r.namespaces.staging)} ;;
  production)
    [ "\${DRILL_CONFIRM:-}" = production ] || fail "refusing production: set the confirm input (DRILL_CONFIRM) to production, and run it in the protected production environment"
    namespace=${q(r.namespaces.production)}
    ;;
  *) fail "usage: $0 staging|production (got '$environment')" ;;
esac

service="\${DRILL_SERVICE:-}"
case "$service" in
${services.join('\n')}
  *) fail "unknown service '$service' (one of: ${r.services.join(', ')})" ;;
esac

if [ -n "\${${r.secret}:-}" ] && [ -f "$${r.secret}" ]; then
  export KUBECONFIG="$${r.secret}"
elif [ -n "\${${r.secret}:-}" ]; then
  umask 077
  KUBECONFIG="$(mktemp)"
  export KUBECONFIG
  trap 'rm -f "$KUBECONFIG"' EXIT
  printf '%s\\n' "$${r.secret}" >"$KUBECONFIG"
fi
[ -n "\${KUBECONFIG:-}" ] || fail "no cluster credentials: set ${r.secret} (the kubeconfig) in the $environment environment"

context="$(kubectl config current-context)"
if [ -n "\${DRILL_CONTEXT:-}" ] && [ "$context" != "$DRILL_CONTEXT" ]; then
  fail "kubeconfig context is '$context', not '$DRILL_CONTEXT' (DRILL_CONTEXT)"
fi
# A staging run must not hold a production context: the kubeconfig is the wrong one.
if [ "$environment" = staging ] && printf '%s' "$context" | grep -qi prod; then
  fail "refusing: staging run with the kubeconfig context '$context'"
fi
kubectl get namespace "$namespace" >/dev/null

selector="app.kubernetes.io/name=$service"
ready_pods() {
  # Ready pods that are not being deleted.
  kubectl -n "$namespace" get pods -l "$selector" \\
    -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{"|"}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}' |
    grep -c '^|True$' || true
}

before="$(ready_pods)"
[ "$before" -gt 0 ] || fail "$service has no ready pod in $namespace: nothing to rehearse"

zone="\${DRILL_ZONE:-}"
first_node="$(kubectl -n "$namespace" get pods -l "$selector" -o jsonpath='{.items[0].spec.nodeName}')"
if [ -z "$zone" ]; then
  zone="$(kubectl get node "$first_node" -o jsonpath='{.metadata.labels.topology\\.kubernetes\\.io/zone}')"
fi
victims=()
while read -r pod node; do
  [ -n "$pod" ] || continue
  if [ -n "$zone" ]; then
    node_zone="$(kubectl get node "$node" -o jsonpath='{.metadata.labels.topology\\.kubernetes\\.io/zone}')"
    [ "$node_zone" = "$zone" ] && victims+=("$pod")
  elif [ "$node" = "$first_node" ]; then
    victims+=("$pod")
  fi
done < <(kubectl -n "$namespace" get pods -l "$selector" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.nodeName}{"\\n"}{end}')
[ "\${#victims[@]}" -gt 0 ] || fail "no pod of $service in zone '$zone'"

where="zone \${zone:-(none: node $first_node)}"
echo "Deleting \${#victims[@]} of $before ready pod(s) of $service in $namespace, $where"
start="$(date +%s)"
kubectl -n "$namespace" delete pod "\${victims[@]}" --wait=false

deadline=$((start + ${r.timeoutSeconds}))
while :; do
  sleep 5
  now="$(date +%s)"
  ready="$(ready_pods)"
  echo "$((now - start))s: $ready/$before ready"
  if [ "$ready" -ge "$before" ]; then
    break
  fi
  if [ "$now" -ge "$deadline" ]; then
    fail "$service did not recover within ${r.timeoutSeconds}s ($ready/$before ready): that is a drill finding"
  fi
done

summary="\${GITHUB_STEP_SUMMARY:-/dev/stdout}"
{
  echo "### Rehearsal: $service in $environment"
  echo ""
  echo "- Deleted \${#victims[@]} of $before pod(s), $where."
  echo "- Ready again after $((now - start)) s."
  echo "- Readiness is all this job measures: read the SLO dashboard for the same minutes and note the error budget burned: $dashboard"
  echo "- Commit the findings with the drill's: docs/incident/drills/."
} >>"$summary"
`;
}
