import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_GUARD_KINDS, PREVIEW_KINDS } from '../../../src/practices/gitops/argocd.js';
import { PREVIEW_PODS_PER_SERVICE, mebibytes, millicores } from '../../../src/practices/gitops/preview-guard.js';
import { haveTool } from '../../validators/tool.js';
import { kustomizeBuild, parseObjects, type KubeObject } from '../../validators/kustomize.js';
import { typecheckObjects, validateWithModels } from '../../validators/kube-models.js';
import { CASES, buildCase, workloadOf, type Built } from './cases.js';

/**
 * Issue 9, item 1: a preview runs pull-request code and pull-request manifests. The PR must not
 * control its namespace (a Namespace object could name a production namespace, which Argo CD
 * would adopt and delete with the preview), nor anything that isolates it; network policies are
 * additive, so the PR must not be able to create one. The guard, from the default branch,
 * creates the namespace with its Pod Security labels, default-deny policies and a quota.
 */

const argo = (b: Built, kind: string, name: string): KubeObject => b.argocd.find((o) => o['kind'] === kind && o['metadata']['name'] === name)!;
const gk = (o: { group?: string; apiVersion?: string; kind: string }) => `${o.group ?? (o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0] : '')}/${o.kind}`;

/** Namespaced kinds Kubernetes itself treats as cluster-scoped (none may appear in a preview). */
const CLUSTER_SCOPED = new Set(['/Namespace', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'apiextensions.k8s.io/CustomResourceDefinition']);

interface Peer {
  namespace: string;
  namespaceLabels: Record<string, string>;
  podLabels: Record<string, string>;
  port: number;
  protocol: 'TCP' | 'UDP';
}

const matches = (selector: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string>) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

/**
 * NetworkPolicy semantics (networking.k8s.io/v1), for the kinds of rule the guard uses: a pod is
 * isolated in a direction once any policy of that type selects it; traffic is then allowed only
 * if some selecting policy has a rule whose peers and ports match. No offline validator models
 * policies, so this is our reading of the API reference, kept to matchLabels selectors.
 */
function allowed(policies: KubeObject[], direction: 'Ingress' | 'Egress', self: { namespace: string; podLabels: Record<string, string> }, other: Peer): boolean {
  const selecting = policies.filter((p) => p['spec']['policyTypes'].includes(direction) && matches(p['spec']['podSelector'], self.podLabels));
  if (selecting.length === 0) return true;
  const rules: KubeObject[] = selecting.flatMap((p) => p['spec'][direction === 'Egress' ? 'egress' : 'ingress'] ?? []);
  return rules.some((rule) => {
    const peers: KubeObject[] | undefined = rule[direction === 'Egress' ? 'to' : 'from'];
    const peerOk = !peers || peers.length === 0 || peers.some((peer) => {
      if (peer['ipBlock']) return false;
      const nsOk = peer['namespaceSelector'] ? matches(peer['namespaceSelector'], other.namespaceLabels) : other.namespace === self.namespace;
      return nsOk && (!peer['podSelector'] || matches(peer['podSelector'], other.podLabels));
    });
    const ports: KubeObject[] | undefined = rule['ports'];
    const portOk = !ports || ports.length === 0 || ports.some((p) => p['port'] === other.port && (p['protocol'] ?? 'TCP') === other.protocol);
    return peerOk && portOk;
  });
}

const ns = (name: string, labels: Record<string, string> = {}) => ({ namespace: name, namespaceLabels: { 'kubernetes.io/metadata.name': name, ...labels } });

describe.runIf(haveTool('kubectl'))('previews: isolation the pull request cannot change', () => {
  const cases = CASES.filter((c) => c.spec.gitops.previews);
  const built = new Map<string, Built>();
  beforeAll(() => {
    for (const c of cases) built.set(c.name, buildCase(c.spec));
  });

  it.each(cases)('$name: the PR-controlled folder renders no Namespace, nothing cluster-scoped, only kinds the previews project allows', ({ name, spec }) => {
    const b = built.get(name)!;
    expect(Object.keys(b.record).filter((p) => p.startsWith(`${spec.gitops.dir}/previews/`))).toEqual([`${spec.gitops.dir}/previews/kustomization.yaml`]);
    const objects = b.builds.get('previews')!;
    expect(objects.length).toBeGreaterThan(0);
    const project = argo(b, 'AppProject', `${spec.project.name}-previews`);
    const whitelist = new Set((project['spec']['namespaceResourceWhitelist'] as KubeObject[]).map((k) => gk(k as never)));
    for (const o of objects) {
      expect(CLUSTER_SCOPED.has(gk(o as never)), `${o['kind']} ${o['metadata']['name']}`).toBe(false);
      expect(whitelist.has(gk(o as never)), `${gk(o as never)} is not in the previews project's whitelist`).toBe(true);
    }
  });

  it.each(cases)('$name: the previews project may create nothing cluster-scoped and only workload kinds: no RBAC, no NetworkPolicy', ({ name, spec }) => {
    const p = argo(built.get(name)!, 'AppProject', `${spec.project.name}-previews`)['spec'];
    expect(p['clusterResourceWhitelist']).toEqual([]);
    expect(p['namespaceResourceBlacklist']).toBeUndefined();
    expect(p['namespaceResourceWhitelist']).toEqual(PREVIEW_KINDS);
    const kinds = (p['namespaceResourceWhitelist'] as KubeObject[]).map((k) => k['kind']);
    for (const forbidden of ['NetworkPolicy', 'Role', 'RoleBinding', 'Secret', 'ResourceQuota', 'LimitRange', 'Ingress']) expect(kinds).not.toContain(forbidden);
    expect(p['destinations']).toEqual([{ server: 'https://kubernetes.default.svc', namespace: `${spec.project.name}-pr-*` }]);
  });

  it.each(cases)('$name: the preview app deploys the PR head but cannot create or label its namespace', ({ name, spec }) => {
    const set = argo(built.get(name)!, 'ApplicationSet', `${spec.project.name}-previews`)['spec'];
    expect(set['template']['spec']['source']['targetRevision']).toBe('{{.head_sha}}');
    expect(set['template']['spec']['project']).toBe(`${spec.project.name}-previews`);
    expect(set['template']['spec']['syncPolicy']['syncOptions'] ?? []).not.toContain('CreateNamespace=true');
    expect(set['template']['spec']['syncPolicy']['managedNamespaceMetadata']).toBeUndefined();
  });

  it.each(cases)('$name: the guard, over the same pull requests, deploys the default branch and creates the namespace with restricted Pod Security', ({ name, spec }) => {
    const b = built.get(name)!;
    const previews = argo(b, 'ApplicationSet', `${spec.project.name}-previews`)['spec'];
    const guard = argo(b, 'ApplicationSet', `${spec.project.name}-preview-guards`)['spec'];
    expect(guard['generators']).toEqual(previews['generators']);
    const t = guard['template'];
    expect(t['spec']['source']).toEqual({ repoURL: previews['template']['spec']['source']['repoURL'], targetRevision: spec.project.defaultBranch, path: `${spec.gitops.dir}/preview-guard` });
    expect(t['spec']['destination']).toEqual(previews['template']['spec']['destination']);
    expect(t['spec']['project']).toBe(`${spec.project.name}-preview-guards`);
    const sync = t['spec']['syncPolicy'];
    expect(sync['syncOptions']).toContain('CreateNamespace=true');
    expect(sync['managedNamespaceMetadata']['labels']).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'app.kubernetes.io/environment': 'preview',
      'app.kubernetes.io/part-of': spec.project.name,
    });
    // Owns the namespace (Argo CD's documented tracking annotation), so it is deleted with the guard app.
    expect(sync['managedNamespaceMetadata']['annotations']).toEqual({
      'argocd.argoproj.io/tracking-id': `${t['metadata']['name']}:/Namespace:/${t['spec']['destination']['namespace']}`,
    });
    expect(t['metadata']['finalizers']).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it.each(cases)('$name: the guard project may create the preview Namespace and, in it, only network policies and quotas', ({ name, spec }) => {
    const p = argo(built.get(name)!, 'AppProject', `${spec.project.name}-preview-guards`)['spec'];
    expect(p['clusterResourceWhitelist']).toEqual([{ group: '', kind: 'Namespace', name: `${spec.project.name}-pr-*` }]);
    expect(p['namespaceResourceWhitelist']).toEqual(PREVIEW_GUARD_KINDS);
    expect(p['destinations']).toEqual([{ server: 'https://kubernetes.default.svc', namespace: `${spec.project.name}-pr-*` }]);
  });

  it('the guard folder builds and validates (kubernetes-models, unknown fields included)', () => {
    for (const c of cases) {
      const b = built.get(c.name)!;
      const r = kustomizeBuild(join(b.dir, c.spec.gitops.dir, 'preview-guard'));
      expect(r.stderr).toBe('');
      const objects = parseObjects(r.stdout);
      expect(objects.map((o) => o['kind']).sort()).toEqual(['NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota']);
      expect(validateWithModels(objects)).toEqual([]);
      expect(typecheckObjects(objects)).toEqual([]);
      // Broken on purpose: a misspelled policy field is caught.
      const bad = structuredClone(objects.find((o) => o['kind'] === 'NetworkPolicy')!);
      bad['spec']['policyType'] = bad['spec']['policyTypes'];
      expect(typecheckObjects([bad]).join('\n')).toMatch(/policyType/);
    }
  });

  it('network policies: a preview pod reaches only its own namespace and DNS; nothing outside reaches it', () => {
    const c = cases[0]!;
    const b = built.get(c.name)!;
    const policies = parseObjects(kustomizeBuild(join(b.dir, c.spec.gitops.dir, 'preview-guard')).stdout).filter((o) => o['kind'] === 'NetworkPolicy');
    const self = { namespace: 'shop-pr-7', podLabels: { 'app.kubernetes.io/name': 'api' } };
    const egress = (peer: Peer) => allowed(policies, 'Egress', self, peer);
    const ingress = (peer: Peer) => allowed(policies, 'Ingress', self, peer);
    const pod = (labels: Record<string, string>, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => ({ podLabels: labels, port, protocol });

    // Allowed: the PR's other services, and cluster DNS on port 53.
    expect(egress({ ...ns('shop-pr-7'), ...pod({ 'app.kubernetes.io/name': 'worker' }, 8080) })).toBe(true);
    expect(egress({ ...ns('kube-system'), ...pod({ 'k8s-app': 'kube-dns' }, 53, 'UDP') })).toBe(true);
    expect(egress({ ...ns('kube-system'), ...pod({ 'k8s-app': 'kube-dns' }, 53) })).toBe(true);
    // Denied: production and staging Services, Loki, the collector, Prometheus' OTLP endpoint, the API, other DNS ports.
    expect(egress({ ...ns('shop-production'), ...pod({ 'app.kubernetes.io/name': 'api' }, 3000) })).toBe(false);
    expect(egress({ ...ns('shop-staging'), ...pod({ 'app.kubernetes.io/name': 'api' }, 3000) })).toBe(false);
    expect(egress({ ...ns('monitoring'), ...pod({ 'app.kubernetes.io/name': 'loki' }, 3100) })).toBe(false);
    expect(egress({ ...ns('monitoring'), ...pod({ 'app.kubernetes.io/name': 'prometheus' }, 9090) })).toBe(false);
    expect(egress({ ...ns('observability'), ...pod({ 'app.kubernetes.io/name': 'otel-collector' }, 4318) })).toBe(false);
    expect(egress({ ...ns('default'), ...pod({ component: 'apiserver' }, 443) })).toBe(false);
    expect(egress({ ...ns('kube-system'), ...pod({ 'k8s-app': 'kube-dns' }, 9153) })).toBe(false);
    expect(egress({ ...ns('shop-pr-8'), ...pod({ 'app.kubernetes.io/name': 'api' }, 3000) })).toBe(false);
    // Ingress only from the same namespace.
    expect(ingress({ ...ns('shop-pr-7'), ...pod({ 'app.kubernetes.io/name': 'web' }, 3000) })).toBe(true);
    expect(ingress({ ...ns('shop-production'), ...pod({ 'app.kubernetes.io/name': 'api' }, 3000) })).toBe(false);
    expect(ingress({ ...ns('ingress-nginx'), ...pod({ 'app.kubernetes.io/name': 'ingress-nginx' }, 3000) })).toBe(false);

    // Broken on purpose: without the default-deny policy the evaluator lets a preview reach production.
    const open = policies.filter((p) => p['metadata']['name'] !== 'default-deny').map((p) => ({ ...p, spec: { ...p['spec'], policyTypes: ['Ingress'] } }));
    expect(allowed(open, 'Egress', self, { ...ns('shop-production'), ...pod({ 'app.kubernetes.io/name': 'api' }, 3000) })).toBe(true);
  });

  it.each(cases)('$name: the quota fits every preview pod, and every container declares what the quota counts', ({ name, spec }) => {
    const b = built.get(name)!;
    const quota = parseObjects(b.record[`${spec.gitops.dir}/preview-guard/resourcequota.yaml`]!)[0]!['spec']['hard'];
    const objects = b.builds.get('previews')!;
    const sum = { cpu: 0, memory: 0, limit: 0 };
    for (const svc of spec.services) {
      const containers = workloadOf(objects, svc.name)!['spec']['template']['spec']['containers'] as KubeObject[];
      for (const ct of containers) {
        expect(ct.resources.requests.cpu, ct.name).toBeDefined();
        expect(ct.resources.requests.memory, ct.name).toBeDefined();
        expect(ct.resources.limits.memory, ct.name).toBeDefined();
        sum.cpu += millicores(ct.resources.requests.cpu);
        sum.memory += mebibytes(ct.resources.requests.memory);
        sum.limit += mebibytes(ct.resources.limits.memory);
      }
    }
    expect(Number(quota['pods'])).toBe(PREVIEW_PODS_PER_SERVICE * spec.services.length);
    expect(millicores(quota['requests.cpu'])).toBeGreaterThanOrEqual(PREVIEW_PODS_PER_SERVICE * sum.cpu);
    expect(mebibytes(quota['requests.memory'])).toBeGreaterThanOrEqual(PREVIEW_PODS_PER_SERVICE * sum.memory);
    expect(mebibytes(quota['limits.memory'])).toBeGreaterThanOrEqual(PREVIEW_PODS_PER_SERVICE * sum.limit);
    // Reached by port-forward only: a PR cannot turn a Service into a LoadBalancer or NodePort.
    expect(quota['services.loadbalancers']).toBe('0');
    expect(quota['services.nodeports']).toBe('0');
  });

  it('docs/gitops.md: the externalIPs policy it asks admins to apply is a valid ValidatingAdmissionPolicy and binding', () => {
    const doc = built.get(cases[0]!.name)!.record['docs/gitops.md']!;
    const block = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((y) => y.includes('ValidatingAdmissionPolicy'));
    expect(block).toBeDefined();
    const objects = parseObjects(block!.replace(/^ {2}/gm, ''));
    expect(objects.map((o) => o['kind'])).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(validateWithModels(objects)).toEqual([]);
    expect(typecheckObjects(objects)).toEqual([]);
    expect(objects[1]!['spec']['policyName']).toBe(objects[0]!['metadata']['name']);
    // Broken on purpose: a binding without validationActions is caught.
    const bad = structuredClone(objects[1]!);
    bad['spec']['validationAction'] = bad['spec']['validationActions'];
    expect(typecheckObjects([bad]).join('\n')).toMatch(/validationAction/);
  });

  it('docs/gitops.md says where isolation comes from, and how cleanup really works', () => {
    const doc = built.get(cases[0]!.name)!.record['docs/gitops.md']!;
    expect(doc).toMatch(/from the default branch|from \*\*`main`\*\*/);
    expect(doc).toContain('cannot create its namespace');
    expect(doc).toMatch(/Network policies are additive/);
    expect(doc).toMatch(/label-based tracking/);
    // The old claim that the PR's manifests may create Namespaces is gone.
    expect(doc).not.toMatch(/its manifests may create\s+Namespaces/);
  });
});
