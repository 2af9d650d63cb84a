import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageRepository } from '../../../src/practices/ci/image.js';
import type { Service, Spec } from '../../../src/spec/types.js';
import { haveTool } from '../../validators/tool.js';
import { kustomizeBuild, parseObjects, type KubeObject } from '../../validators/kustomize.js';
import { typecheckObjects, validateWithModels } from '../../validators/kube-models.js';
import { CASES, OVERLAYS, buildCase, workloadOf, type Built, type Overlay } from './cases.js';
import { PRE_STOP_SLEEP_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS } from '../../../src/model/pod.js';
import { generatedApplications } from '../../helpers/argocd.js';

const NAMESPACE: Record<Overlay, (spec: Spec) => string> = {
  staging: (s) => `${s.project.name}-staging`,
  production: (s) => `${s.project.name}-production`,
  preview: (s) => `${s.project.name}-preview`,
};

const CLUSTER_SCOPED = new Set(['Namespace']);

describe.runIf(haveTool('kubectl'))('gitops: built overlays', () => {
  const built = new Map<string, Built>();
  beforeAll(() => {
    for (const c of CASES) built.set(c.name, buildCase(c.spec));
  });

  it.each(CASES)('$name: every overlay and the previews kustomization build', ({ name, spec }) => {
    const b = built.get(name)!;
    expect(b.failures).toEqual([]);
    expect(b.builds.size).toBe(spec.services.length * OVERLAYS.length + 1);
  });

  it('every built object and Argo CD object validates with kubernetes-models, unknown fields included', () => {
    const all: KubeObject[] = [];
    for (const b of built.values()) {
      for (const objects of b.builds.values()) all.push(...objects);
      all.push(...b.argocd, ...generatedApplications(b.argocd));
    }
    expect(validateWithModels(all)).toEqual([]);
    expect(typecheckObjects(all)).toEqual([]);
  });

  describe.each(CASES)('$name', ({ name, spec }) => {
    const objects = (svc: Service, overlay: Overlay) => built.get(name)!.builds.get(`${svc.name}/${overlay}`)!;

    it.each(OVERLAYS)('%s: pods meet the restricted Pod Security profile, with probes, resources and a writable /tmp', (overlay) => {
      for (const svc of spec.services) {
        const w = workloadOf(objects(svc, overlay), svc.name)!;
        expect(w).toBeDefined();
        const pod = w['spec']['template']['spec'];
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const c of pod.containers) {
          expect(c.securityContext, c.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
          expect(c.securityContext.capabilities.drop).toContain('ALL');
          expect(c.resources.requests.cpu, c.name).toBeDefined();
          expect(c.resources.requests.memory, c.name).toBeDefined();
          expect(c.resources.limits.memory, c.name).toBeDefined();
          expect(c.resources.limits.cpu, `${c.name}: no CPU limit (throttling)`).toBeUndefined();
        }
        const app = pod.containers.find((c: KubeObject) => c.name === svc.name);
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          expect(app[probe].httpGet, probe).toEqual({ path: svc.healthPath, port: 'http' });
        }
        expect(app.ports).toContainEqual({ name: 'http', containerPort: svc.port, protocol: 'TCP' });
        expect(app.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(pod.volumes.find((v: KubeObject) => v.name === 'tmp').emptyDir).toBeDefined();
        const spread = pod.topologySpreadConstraints.find((t: KubeObject) => t.topologyKey === 'topology.kubernetes.io/zone');
        expect(spread).toMatchObject({ whenUnsatisfiable: 'ScheduleAnyway' });
        expect(spread.matchLabelKeys).toEqual([w['kind'] === 'Rollout' ? 'rollouts-pod-template-hash' : 'pod-template-hash']);
      }
    });

    it.each(OVERLAYS)('%s: every container drains gracefully with a preStop sleep that needs no shell (distroless), within the grace period', (overlay) => {
      for (const svc of spec.services) {
        const pod = workloadOf(objects(svc, overlay), svc.name)!['spec']['template']['spec'];
        // Kubernetes' own sleep action (>= 1.30), not `exec: [sleep, …]`: distroless images have no sleep binary.
        for (const c of pod.containers) expect(c.lifecycle, c.name).toEqual({ preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } });
        // The grace period covers the sleep and the app's drain after SIGTERM (30 s, the frameworks' default).
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(PRE_STOP_SLEEP_SECONDS + 30);
        expect(pod.terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_PERIOD_SECONDS);
      }
    });

    it.each(OVERLAYS)('%s: the HPA owns the replica count, and a PDB allows drains', (overlay) => {
      for (const svc of spec.services) {
        const objs = objects(svc, overlay);
        const w = workloadOf(objs, svc.name)!;
        expect(w['spec']['replicas']).toBeUndefined();
        const hpa = objs.find((o) => o['kind'] === 'HorizontalPodAutoscaler')!;
        expect(hpa['apiVersion']).toBe('autoscaling/v2');
        expect(hpa['spec']['scaleTargetRef']).toEqual({ apiVersion: w['apiVersion'], kind: w['kind'], name: svc.name });
        const bounds = overlay === 'preview' ? { min: 1, max: 1 } : svc.deploy.replicas[overlay];
        expect(hpa['spec']).toMatchObject({ minReplicas: bounds.min, maxReplicas: bounds.max });
        const pdb = objs.find((o) => o['kind'] === 'PodDisruptionBudget')!;
        expect(pdb['spec']).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': svc.name } } });
      }
    });

    it.each(OVERLAYS)('%s: images are pinned (never latest) and every object is in the namespace', (overlay) => {
      for (const svc of spec.services) {
        const objs = objects(svc, overlay);
        const app = workloadOf(objs, svc.name)!['spec']['template']['spec']['containers'][0];
        const repo = imageRepository(spec, svc);
        // Previews pull from <repository>-preview, never the release repository (issue 9 #6/#12).
        if (overlay === 'preview') expect(app.image).toMatch(new RegExp(`^${repo.replace(/\./g, '\\.')}-preview:sha-[0-9a-f]{7}$`));
        else expect(app.image).toMatch(new RegExp(`^${repo.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`));
        for (const o of objs) {
          for (const c of o['spec']?.['template']?.['spec']?.['containers'] ?? []) expect(c.image).not.toMatch(/:latest$|^[^:@]+$/);
          if (!CLUSTER_SCOPED.has(o['kind'])) expect(o['metadata']['namespace'], `${o['kind']} ${o['metadata']['name']}`).toBe(NAMESPACE[overlay](spec));
          expect(o['metadata']['labels']['app.kubernetes.io/environment']).toBe(overlay);
        }
        // Labels reach pod templates, never selectors.
        const w = workloadOf(objs, svc.name)!;
        expect(w['spec']['template']['metadata']['labels']['app.kubernetes.io/environment']).toBe(overlay);
        expect(w['spec']['selector']).toEqual({ matchLabels: { 'app.kubernetes.io/name': svc.name } });
      }
    });

    it('Argo CD: a dedicated project per product, only this repo, only its namespaces', () => {
      const { argocd } = built.get(name)!;
      const repo = `https://github.com/${spec.project.repository}.git`;
      // Other practices (observability) add their own project; these are the gitops practice's.
      const ours = (n: string) => n === spec.project.name || n.startsWith(`${spec.project.name}-`);
      const projects = argocd.filter((o) => o['kind'] === 'AppProject' && ours(o['metadata']['name']));
      expect(projects.map((p) => p['metadata']['name']).sort()).toEqual(
        [spec.project.name, `${spec.project.name}-bootstrap`, `${spec.project.name}-previews`, `${spec.project.name}-preview-guards`].sort(),
      );
      for (const p of projects) {
        expect(p['spec']['sourceRepos']).toEqual([repo]);
        for (const d of p['spec']['destinations']) expect(d.server).toBe('https://kubernetes.default.svc');
        expect((p['spec']['clusterResourceWhitelist'] as KubeObject[]).every((k) => k.kind === 'Namespace')).toBe(true);
      }
      const main = projects.find((p) => p['metadata']['name'] === spec.project.name)!;
      expect(main['spec']['destinations'].map((d: KubeObject) => d.namespace)).toEqual([`${spec.project.name}-staging`, `${spec.project.name}-production`]);
      const apps = [...argocd, ...generatedApplications(argocd)].filter((o) => o['kind'] === 'Application');
      for (const app of apps) expect(app['spec']['project']).not.toBe('default');
      for (const app of apps.filter((o) => ours(o['spec']['project']))) {
        expect(app['spec']['source']['repoURL']).toBe(repo);
      }
    });

    it('Argo CD: staging self-syncs; production follows productionSync; finalizers and CreateNamespace', () => {
      const { argocd, builds } = built.get(name)!;
      // No hand-listed Application per service any more: two ApplicationSets generate them.
      expect(argocd.filter((o) => o['kind'] === 'Application' && o['metadata']['labels']?.['app.kubernetes.io/environment'])).toEqual([]);
      const apps = generatedApplications(argocd);
      // The same names the per-service files had, so the ApplicationSets take over the live Applications.
      expect(apps.map((a) => a['metadata']['name']).sort()).toEqual(spec.services.flatMap((s) => ['staging', 'production'].map((env) => `${spec.project.name}-${s.name}-${env}`)).sort());
      for (const app of apps) {
        const env = app['metadata']['labels']['app.kubernetes.io/environment'];
        const svc = app['metadata']['labels']['app.kubernetes.io/name'];
        expect(app['metadata']['namespace']).toBe('argocd');
        expect(app['spec']['source']['path']).toBe(`deploy/${svc}/overlays/${env}`);
        expect(builds.has(`${svc}/${env}`), `${svc}/${env} builds`).toBe(true);
        expect(app['spec']['destination']['namespace']).toBe(`${spec.project.name}-${env}`);
        expect(app['metadata']['finalizers']).toEqual(['resources-finalizer.argocd.argoproj.io']);
        expect(app['spec']['syncPolicy']['syncOptions']).toContain('CreateNamespace=true');
        const automated = env === 'staging' || spec.gitops.productionSync === 'automated';
        expect(app['spec']['syncPolicy']['automated']).toEqual(automated ? { prune: true, selfHeal: true } : undefined);
      }
    });
  });

  it('the root app-of-apps picks up every file under argocd/apps', () => {
    const { argocd } = built.get(CASES[0]!.name)!;
    const root = argocd.find((o) => o['metadata']['name'] === 'shop-root')!;
    expect(root['spec']['source']).toMatchObject({ path: 'deploy/argocd/apps', directory: { recurse: true } });
    expect(root['spec']['project']).toBe('shop-bootstrap');
  });

  it('OpenTelemetry env (observability on): endpoint, protocol, and $(VAR)s defined before use', () => {
    const spec = CASES[1]!.spec;
    const app = workloadOf(built.get(CASES[1]!.name)!.builds.get('api/production')!, 'api')!['spec']['template']['spec']['containers'][0];
    const env = app.env as KubeObject[];
    const value = (n: string) => env.find((e) => e.name === n)?.value;
    expect(value('OTEL_SERVICE_NAME')).toBe('api');
    expect(value('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(`http://otel-collector.${spec.observability.namespace}.svc:4318`);
    expect(value('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
    expect(value('OTEL_PROPAGATORS')).toBe('tracecontext,baggage');
    expect(value('OTEL_RESOURCE_ATTRIBUTES')).toMatch(/service\.version=\$\(SERVICE_VERSION\),deployment\.environment\.name=\$\(DEPLOYMENT_ENVIRONMENT\)/);
    env.forEach((e, i) => {
      for (const [, ref] of String(e.value ?? '').matchAll(/\$\(([A-Z_]+)\)/g)) {
        expect(env.slice(0, i).map((x) => x.name), `${e.name} uses $(${ref})`).toContain(ref);
      }
    });
    expect(env.find((e) => e.name === 'DEPLOYMENT_ENVIRONMENT')?.['valueFrom'].fieldRef.fieldPath).toBe("metadata.labels['app.kubernetes.io/environment']");
    // Without observability, no OTel env at all.
    const plain = workloadOf(built.get(CASES[2]!.name)!.builds.get('books/staging')!, 'books')!['spec']['template']['spec']['containers'][0];
    expect(plain.env).toBeUndefined();
  });
});

describe.runIf(haveTool('kubectl'))('gitops: promotion and previews, as CI and Argo CD will edit them', () => {
  const digest = 'sha256:' + 'ab12'.repeat(16);

  it('CI pins a digest in staging (kustomize edit layout): the image and service.version follow it', () => {
    const spec = CASES[1]!.spec;
    const b = buildCase(spec);
    const file = join(b.dir, 'deploy/api/overlays/staging/kustomization.yaml');
    const text = readFileSync(file, 'utf8');
    // What `kustomize edit set image repo=repo@<digest>` writes: the same entry, another digest.
    const edited = text.replace(/digest: sha256:0{64}/, `digest: ${digest}`);
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const r = kustomizeBuild(join(b.dir, 'deploy/api/overlays/staging'));
    expect(r.stderr).toBe('');
    const w = workloadOf(parseObjects(r.stdout), 'api')!;
    expect(w['spec']['template']['spec']['containers'][0].image).toBe(`ghcr.io/acme/shop/api@${digest}`);
    expect(w['spec']['template']['metadata']['annotations']).toEqual({ 'app.kubernetes.io/version': digest });
  });

  it('a tag instead of a digest in production fails the build (digests only)', () => {
    const b = buildCase(CASES[0]!.spec);
    const file = join(b.dir, 'deploy/api/overlays/production/kustomization.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/- digest: sha256:0{64}\n  name: (\S+)\n  newName: \S+/, '- name: $1\n  newTag: v1.2.3'));
    const r = kustomizeBuild(join(b.dir, 'deploy/api/overlays/production'));
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/out of bounds/);
  });

  it('a preview as Argo CD builds it: PR namespace (set by Argo CD, not created by the PR), PR image tags', () => {
    const spec = CASES[3]!.spec;
    const b = buildCase(spec);
    const file = join(b.dir, 'deploy/previews/kustomization.yaml');
    // What Argo CD's kustomize.namespace and kustomize.images do (kustomize edit set namespace / set image).
    const images = spec.services.map((s) => `- name: ${imageRepository(spec, s)}-preview\n  newTag: sha-1234abc`).join('\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace('namespace: mono-preview', `namespace: mono-pr-42\nimages:\n${images}`));
    const r = kustomizeBuild(join(b.dir, 'deploy/previews'));
    expect(r.stderr).toBe('');
    const objects = parseObjects(r.stdout);
    // The PR's manifests hold no Namespace: the guard application creates it (preview-isolation.test.ts).
    expect(objects.filter((o) => o['kind'] === 'Namespace')).toEqual([]);
    for (const o of objects) expect(o['metadata']['namespace']).toBe('mono-pr-42');
    for (const svc of spec.services) {
      const w = workloadOf(objects, svc.name)!;
      expect(w['spec']['template']['spec']['containers'][0].image).toBe(`${imageRepository(spec, svc)}-preview:sha-1234abc`);
      expect(w['spec']['template']['metadata']['annotations']['app.kubernetes.io/version']).toBe('sha-1234abc');
    }
  });
});
