import type { ManifestFile, Model } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';

/**
 * The preview guard: what confines a preview environment, deployed into each preview namespace
 * from the default branch (never from the pull request, whose code and manifests are untrusted).
 *
 * NetworkPolicies are additive (a pod is allowed whatever any policy selecting it allows), so a
 * pull request that could create one could open any egress it likes: the previews project may
 * not create them; only the guard project may, and only these. They leave a preview pod:
 * - ingress only from pods of the same preview namespace (no other namespace, no ingress
 *   controller, no Prometheus scrape: telemetry is pushed, and previews export none, below);
 * - egress only to pods of the same namespace (the PR's other services) and to cluster DNS.
 * So a preview cannot reach staging or production Services, Loki, the OpenTelemetry Collector or
 * Prometheus' OTLP write endpoint (its SLI series could otherwise claim to be production's), the
 * Kubernetes API (its pods carry no token anyway) or the internet.
 */

type Obj = Record<string, unknown>;

/** Every pod of the namespace: these policies apply to all of them. */
const ALL_PODS = {};

/**
 * Cluster DNS as most distributions run it: CoreDNS pods labelled k8s-app=kube-dns in
 * kube-system (kube-system's name label is set by Kubernetes itself since 1.21). Clusters with
 * NodeLocal DNSCache answer on a link-local address instead (169.254.20.10 by default), which a
 * pod selector cannot match: add an ipBlock for it (docs/gitops.md).
 */
const CLUSTER_DNS = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

function networkPolicy(name: string, spec: Obj): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec };
}

export function previewNetworkPolicies(): Obj[] {
  return [
    // Selects every pod and allows nothing: all traffic not allowed below is dropped.
    networkPolicy('default-deny', { podSelector: ALL_PODS, policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy('allow-same-namespace', {
      podSelector: ALL_PODS,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: ALL_PODS }] }],
      egress: [{ to: [{ podSelector: ALL_PODS }] }],
    }),
    networkPolicy('allow-cluster-dns', {
      podSelector: ALL_PODS,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [CLUSTER_DNS],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
}

/**
 * Pods per service a preview may hold at once: one serving, one surging in during a deploy, one
 * still terminating from the deploy before (the preview HPA pins one replica).
 */
export const PREVIEW_PODS_PER_SERVICE = 3;

/** A CPU quantity in millicores ("100m" → 100, "0.5" → 500, "2" → 2000). */
export function millicores(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(q);
  if (!m) throw new Error(`unsupported CPU quantity ${JSON.stringify(q)}`);
  return m[2] === 'm' ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** A memory quantity in MiB ("128Mi" → 128, "1Gi" → 1024, "512Ki" → 0.5). */
export function mebibytes(q: string): number {
  const m = /^([0-9]+)(Ki|Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`unsupported memory quantity ${JSON.stringify(q)}`);
  const n = Number(m[1]);
  return m[2] === 'Gi' ? n * 1024 : m[2] === 'Ki' ? n / 1024 : n;
}

interface PodBudget {
  cpu: number;
  memory: number;
  memoryLimit: number;
}

function podBudget(pod: Obj): PodBudget {
  const containers = ((pod['spec'] as Obj)['containers'] as Obj[]) ?? [];
  const total = { cpu: 0, memory: 0, memoryLimit: 0 };
  for (const c of containers) {
    const r = (c['resources'] ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
    total.cpu += millicores(r.requests?.['cpu'] ?? '0');
    total.memory += mebibytes(r.requests?.['memory'] ?? '0Mi');
    total.memoryLimit += mebibytes(r.limits?.['memory'] ?? '0Mi');
  }
  return total;
}

/**
 * A quota sized from what the default branch's pods request: PREVIEW_PODS_PER_SERVICE pods of
 * every service. A pull request that asks for much more (more replicas, bigger pods, a
 * crypto-miner) is refused by the API server instead of taking the cluster's capacity. A quota on
 * requests.cpu / requests.memory / limits.memory also makes every container in the namespace
 * declare them: devops-init's containers all do.
 */
export function previewQuota(model: Model): Obj {
  const sum = { cpu: 0, memory: 0, memoryLimit: 0 };
  for (const w of model.workloads) {
    const b = podBudget(w.podTemplate());
    sum.cpu += b.cpu;
    sum.memory += b.memory;
    sum.memoryLimit += b.memoryLimit;
  }
  const n = PREVIEW_PODS_PER_SERVICE;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'preview' },
    spec: {
      hard: {
        pods: String(n * model.workloads.length),
        'requests.cpu': `${Math.ceil(n * sum.cpu)}m`,
        'requests.memory': `${Math.ceil(n * sum.memory)}Mi`,
        'limits.memory': `${Math.ceil(n * sum.memoryLimit)}Mi`,
        // A preview is reached by port-forward only: a PR that turns its Service into a
        // LoadBalancer or NodePort would expose untrusted code outside the cluster.
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  };
}

/** The guard folder's resource files (a plain Kustomize folder; Argo CD sets the namespace). */
export function previewGuardFiles(spec: Spec, model: Model): ManifestFile[] {
  void spec;
  return [
    {
      file: 'networkpolicies.yaml',
      comments: [
        `Preview pods run ${model.source.changeRequest.name} code: deny everything, then allow the same namespace and cluster DNS only.`,
        `Deployed from the default branch into every preview namespace (argocd/apps/preview-guards.yaml); a ${model.source.changeRequest.short} cannot change it.`,
        'To let previews reach something else (a shared test database), add an egress rule here, on the default branch.',
      ],
      objects: () => previewNetworkPolicies(),
    },
    {
      file: 'resourcequota.yaml',
      comments: [
        `At most ${PREVIEW_PODS_PER_SERVICE} pods per service and their requests: sized from the default branch's pod templates.`,
        'No LoadBalancer or NodePort Services: previews are reached by port-forward, never from outside the cluster.',
      ],
      objects: () => [previewQuota(model)],
    },
  ];
}
