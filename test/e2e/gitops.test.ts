import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { hashContent } from '../../src/lock/hash.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployPractice } from '../../src/practices/deploy/index.js';
import { gitopsPractice } from '../../src/practices/gitops/index.js';
import { kustomizeBuild, parseObjects, type KubeObject } from '../validators/kustomize.js';
import { haveTool } from '../validators/tool.js';
import { cleanupRepos, cli, commitAll, exists, makeRepo, read, resolvedWorkflow, write, expectHandbook } from './helpers.js';
import { validateAll } from './validate-repo.js';
import { asWrittenByAnotherVersion } from '../helpers/lock.js';

/**
 * Issue 3 end to end: the built CLI adds GitOps and deployment strategies to real git
 * repositories; every overlay builds, every object and workflow validates, `check` is clean,
 * and hand edits survive spec changes.
 */

afterAll(cleanupRepos);

const CI_WF = '.github/workflows/ci-orders-api.yml';
const tools = haveTool('kubectl');

async function run(dir: string, args: string[]): Promise<string> {
  const r = await cli(dir, args);
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
  return r.stdout;
}

function built(dir: string, folder: string): KubeObject[] {
  const r = kustomizeBuild(join(dir, folder));
  expect(r.ok, `${folder}: ${r.stderr}`).toBe(true);
  return parseObjects(r.stdout);
}

const byKind = (objects: KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o['kind'] === kind);
const one = (objects: KubeObject[], kind: string): KubeObject => {
  const found = byKind(objects, kind);
  expect(found.map((o) => o['metadata']['name']), kind).toHaveLength(1);
  return found[0]!;
};

/** The restricted Pod Security profile and the rest of the hardening, on a built workload's pod. */
/**
 * The probe handler a service's devops.yaml entry asks for (issue 10: the workload follows
 * services[].probes; detection writes TCP when it found no health route): undefined = none.
 */
function expectedProbe(svc: { kind?: string; healthPath?: string; probes?: { type: string; path?: string } }): Record<string, unknown> | undefined {
  const type = svc.probes?.type ?? (svc.kind === 'worker' ? 'none' : 'http');
  if (type === 'tcp') return { tcpSocket: { port: 'http' } };
  if (type === 'http') return { httpGet: { path: svc.probes?.path ?? svc.healthPath ?? '/healthz', port: 'http' } };
  return undefined;
}

const serviceEntry = (dir: string, name: string) => (parse(read(dir, 'devops.yaml')).services as ({ name: string } & Parameters<typeof expectedProbe>[0])[]).find((s) => s.name === name)!;

function expectHardenedPod(workload: KubeObject, svc: Parameters<typeof expectedProbe>[0]): void {
  const pod = workload['spec']['template']['spec'];
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.automountServiceAccountToken).toBe(false);
  const app = pod.containers[0];
  expect(app.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  expect(app.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  expect(app.resources.requests).toBeDefined();
  expect(app.resources.limits.memory).toBeDefined();
  const handler = expectedProbe(svc);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    if (!handler) expect(app[probe], probe).toBeUndefined();
    else expect(app[probe], probe).toMatchObject(handler);
  }
  // Pinned by digest in the environments, never a mutable tag; the HPA owns the count.
  expect(app.image).toMatch(/@sha256:[0-9a-f]{64}$/);
  expect(workload['spec'].replicas).toBeUndefined();
}

/** A hand edit far from anything the specs below change: a workflow-level env var. */
function editWorkflow(text: string): string {
  return text.replace(/^jobs:\n/m, 'env:\n  TEAM_OWNED_SETTING: "keep-me"\njobs:\n');
}

describe.runIf(tools)('gitops and deploy end to end', () => {
  it('`add gitops` then `add deploy --strategy canary` on a Node repo that had CI only', async () => {
    const dir = makeRepo('node-npm');
    await run(dir, ['init', '--yes', '--practices', 'ci']);
    commitAll(dir, 'devops-init ci');
    // The team owns a line in the CI workflow before GitOps arrives.
    write(dir, CI_WF, editWorkflow(read(dir, CI_WF)));
    commitAll(dir, 'team edit');
    // Jobs as GitHub runs them: the thin caller with its shared workflows expanded.
    const jobsBefore = Object.keys(resolvedWorkflow(dir, CI_WF)['jobs']);
    expect(jobsBefore).not.toContain('promote-staging');

    const added = await run(dir, ['add', 'gitops']);
    expect(added).toMatch(/merge\s+\.github\/workflows\/ci-orders-api\.yml/);
    expect(parse(read(dir, 'devops.yaml')).practices).toEqual(['ci', 'gitops']);
    for (const f of [
      'deploy/orders-api/base/kustomization.yaml',
      'deploy/orders-api/base/deployment.yaml',
      'deploy/orders-api/base/service.yaml',
      'deploy/orders-api/base/serviceaccount.yaml',
      'deploy/orders-api/base/hpa.yaml',
      'deploy/orders-api/base/pdb.yaml',
      'deploy/orders-api/overlays/staging/kustomization.yaml',
      'deploy/orders-api/overlays/production/kustomization.yaml',
      'deploy/argocd/project.yaml',
      'deploy/argocd/root.yaml',
      'deploy/argocd/apps/services-staging.yaml',
      'deploy/argocd/apps/services-production.yaml',
      'deploy/argocd/apps/previews.yaml',
      '.github/workflows/promote.yml',
      'docs/gitops.md',
    ]) {
      expect(exists(dir, f), f).toBe(true);
    }

    // The existing workflow was updated through sync: the team's line kept, the staging promotion added.
    const wf = read(dir, CI_WF);
    expect(wf).toContain('TEAM_OWNED_SETTING: "keep-me"');
    const jobs = resolvedWorkflow(dir, CI_WF)['jobs'];
    expect(Object.keys(jobs)).toEqual([...jobsBefore, 'promote-staging']);
    // After the scanned archive is pushed and signed (the publish job; issue 9 #14): the caller
    // needs the whole image call, so the promotion waits for every job of _image.yml, publish included.
    expect(jobs['promote-staging'].needs).toEqual(['image', 'scan-report', 'publish']);
    expect(jobs['promote-staging'].if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const setImage = jobs['promote-staging'].steps.find((s: { run?: string }) => s.run?.includes('kustomize edit set image'));
    expect(setImage['working-directory']).toBe('deploy/orders-api/overlays/staging');

    // Built overlays: namespaces per environment (the project is named after the origin remote,
    // acme/shop), hardened pods, a Deployment (rolling) for now.
    for (const env of ['staging', 'production']) {
      const objects = built(dir, `deploy/orders-api/overlays/${env}`);
      expect(new Set(objects.map((o) => o['metadata']['namespace']))).toEqual(new Set([`shop-${env}`]));
      expectHardenedPod(one(objects, 'Deployment'), serviceEntry(dir, 'orders-api'));
      expect(one(objects, 'HorizontalPodAutoscaler')['spec'].scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'orders-api' });
    }
    // Argo CD: a fenced project (this repo only, the app namespaces only); staging self-heals.
    const project = parse(read(dir, 'deploy/argocd/project.yaml'));
    expect(project.spec.sourceRepos).toEqual(['https://github.com/acme/shop.git']);
    expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace).sort()).toEqual(['shop-production', 'shop-staging']);
    const staging = parse(read(dir, 'deploy/argocd/apps/services-staging.yaml'));
    expect(staging.kind).toBe('ApplicationSet');
    expect(staging.spec.generators[0].list.elements).toEqual([{ service: 'orders-api', path: 'deploy/orders-api/overlays/staging' }]);
    expect(staging.spec.template.metadata.name).toBe('shop-{{.service}}-staging');
    expect(staging.spec.template.spec.project).toBe('shop');
    expect(staging.spec.template.spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });

    expect(await validateAll(dir)).toEqual([]);
    commitAll(dir, 'devops-init add gitops');
    const check = await cli(dir, ['check']);
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/edited\s+\.github\/workflows\/ci-orders-api\.yml/);

    // Canary: a Rollout and its SLO analysis replace the Deployment, which sync deletes as an orphan.
    const deploy = await run(dir, ['add', 'deploy', '--strategy', 'canary']);
    expect(deploy).toMatch(/delete\s+deploy\/orders-api\/base\/deployment\.yaml/);
    expect(parse(read(dir, 'devops.yaml')).services[0].deploy).toEqual({ strategy: 'canary', featureFlags: false });
    expect(exists(dir, 'deploy/orders-api/base/deployment.yaml')).toBe(false);
    expect(exists(dir, 'deploy/orders-api/base/rollout.yaml')).toBe(true);
    expect(exists(dir, 'deploy/orders-api/base/analysistemplate.yaml')).toBe(true);
    const production = built(dir, 'deploy/orders-api/overlays/production');
    expect(byKind(production, 'Deployment')).toEqual([]);
    const rollout = one(production, 'Rollout');
    expectHardenedPod(rollout, serviceEntry(dir, 'orders-api'));
    const canary = rollout['spec'].strategy.canary;
    expect(canary.steps.filter((s: object) => 'setWeight' in s).map((s: { setWeight: number }) => s.setWeight)).toEqual([10, 25, 50, 100]);
    expect(canary.steps.filter((s: object) => 'analysis' in s).every((s: any) => s.analysis.templates[0].templateName === 'orders-api-slo')).toBe(true);
    // No traffic router: no stable/canary Services, so clients of orders-api reach old and new pods alike.
    expect(canary.stableService).toBeUndefined();
    expect(canary.canaryService).toBeUndefined();
    expect(one(production, 'HorizontalPodAutoscaler')['spec'].scaleTargetRef).toMatchObject({ kind: 'Rollout', name: 'orders-api' });
    const analysis = one(production, 'AnalysisTemplate');
    expect(analysis['metadata']['name']).toBe('orders-api-slo');
    // Judged by the service's SLOs on Prometheus: the new version against the stable one.
    for (const m of analysis['spec'].metrics) {
      expect(m.provider.prometheus.query).toContain('http_server_request_duration_seconds');
      expect(m.provider.prometheus.query).toContain('{{args.canary-hash}}');
      expect(m.provider.prometheus.query).toContain('{{args.stable-hash}}');
      expect(m.successCondition).toContain('<= 1');
      expect(m.failureLimit).toBeGreaterThanOrEqual(1);
      expect(m.inconclusiveLimit).toBeGreaterThanOrEqual(1);
    }
    expect(byKind(production, 'Service').map((s) => s['metadata']['name']).sort()).toEqual(['orders-api']);

    expect(await validateAll(dir)).toEqual([]);
    commitAll(dir, 'devops-init add deploy');
    const after = await cli(dir, ['check']);
    expect(after.exitCode, after.stdout).toBe(0);
    expect(after.stdout).not.toMatch(/stale|missing|orphaned/);
  });

  it('blue/green on a Python service: previews and analysis, auto-promotion off in production', async () => {
    const dir = makeRepo('python-uv');
    await run(dir, ['init', '--yes', '--practices', 'ci,gitops,deploy', '--strategy', 'bluegreen']);
    commitAll(dir, 'devops-init');
    const svc = parse(read(dir, 'devops.yaml')).services[0];
    expect(svc).toMatchObject({ name: 'billing', language: 'python', deploy: { strategy: 'bluegreen' } });
    expect(await validateAll(dir)).toEqual([]);

    const strategyIn = (env: string) => {
      const objects = built(dir, `deploy/billing/overlays/${env}`);
      expect(byKind(objects, 'Deployment')).toEqual([]);
      expect(byKind(objects, 'Service').map((s) => s['metadata']['name']).sort()).toEqual(['billing', 'billing-preview']);
      const rollout = one(objects, 'Rollout');
      expectHardenedPod(rollout, svc);
      return rollout['spec'].strategy.blueGreen;
    };
    const production = strategyIn('production');
    expect(production.autoPromotionEnabled).toBe(false);
    expect(production).toMatchObject({ activeService: 'billing', previewService: 'billing-preview' });
    // Judged after the switch, on real traffic (the preview pods get none before it).
    expect(production.prePromotionAnalysis).toBeUndefined();
    expect(production.postPromotionAnalysis.templates).toEqual([{ templateName: 'billing-slo' }]);
    // Staging promotes itself once the analysis passes; only production waits for a human.
    expect(strategyIn('staging').autoPromotionEnabled).toBe(true);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('rolling with feature flags on a monorepo: flagd beside every service', async () => {
    const dir = makeRepo('monorepo-pnpm');
    await run(dir, ['init', '--yes', '--practices', 'ci,gitops,deploy', '--strategy', 'rolling', '--feature-flags']);
    commitAll(dir, 'devops-init');
    const services = parse(read(dir, 'devops.yaml')).services as { name: string; kind?: string; deploy: unknown }[];
    expect(services.map((s) => s.name)).toEqual(['web-api', 'worker', 'inventory']);
    for (const s of services) {
      expect(s.deploy, s.name).toEqual({ strategy: 'rolling', featureFlags: true });
      // One flag file per environment: production's ConfigMap is built from production's file.
      const flags = JSON.parse(read(dir, `deploy/${s.name}/overlays/production/flags/flags.flagd.json`));
      expect(flags.$schema).toBe('https://flagd.dev/schema/v0/flags.json');
      expect(Object.values(flags.flags as Record<string, { state: string }>).map((f) => f.state)).toEqual(['DISABLED']);
      const objects = built(dir, `deploy/${s.name}/overlays/production`);
      const deployment = one(objects, 'Deployment');
      expectHardenedPod(deployment, s);
      expect(deployment['spec'].strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
      const containers = deployment['spec'].template.spec.containers as { name: string; image: string; env?: { name: string; value: string }[] }[];
      expect(containers.map((c) => c.name)).toEqual([s.name, 'flagd']);
      expect(containers[1]!.image).toMatch(/^ghcr\.io\/open-feature\/flagd:v\d+\.\d+\.\d+$/);
      expect(containers[0]!.env).toContainEqual({ name: 'FLAGD_HOST', value: 'localhost' });
      // The flag file reaches flagd through a ConfigMap built from the same JSON.
      const flagsConfigMap = one(objects, 'ConfigMap');
      expect(JSON.parse(flagsConfigMap['data']['flags.flagd.json'])).toEqual(flags);
    }
    expect(exists(dir, 'docs/feature-flags.md')).toBe(true);
    expect(await validateAll(dir)).toEqual([]);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('a hand edit in a generated manifest survives a spec change and sync', async () => {
    const dir = makeRepo('node-npm');
    await run(dir, ['init', '--yes', '--practices', 'ci,gitops']);
    commitAll(dir, 'devops-init');
    const DEPLOYMENT = 'deploy/orders-api/base/deployment.yaml';
    const SERVICE = 'deploy/orders-api/base/service.yaml';
    // The team raises the memory limit and tags the pods with an owner.
    const original = read(dir, DEPLOYMENT);
    const edited = original
      .replace(/(limits:\n\s+memory: )"?256Mi"?/, '$1"512Mi"')
      .replace('  template:\n    metadata:\n      labels:', '  template:\n    metadata:\n      annotations:\n        team.example.com/owner: payments\n      labels:');
    expect(edited.match(/memory: "512Mi"|team\.example\.com\/owner: payments/g)).toHaveLength(2);
    write(dir, DEPLOYMENT, edited);
    commitAll(dir, 'team edit');

    write(dir, 'devops.yaml', read(dir, 'devops.yaml').replace('port: 3000', 'port: 8080'));
    const stale = await cli(dir, ['check']);
    expect(stale.exitCode).toBe(1);
    expect(stale.stdout).toMatch(/stale\s+deploy\/orders-api\/base\/deployment\.yaml/);
    expect(stale.stdout).toMatch(/stale\s+deploy\/orders-api\/base\/service\.yaml/);

    const sync = await run(dir, ['sync']);
    expect(sync).toMatch(/merge\s+deploy\/orders-api\/base\/deployment\.yaml/);
    expect(sync).toMatch(/update\s+deploy\/orders-api\/base\/service\.yaml/);
    const deployment = one(built(dir, 'deploy/orders-api/overlays/production'), 'Deployment');
    const pod = deployment['spec'].template;
    expect(pod.metadata.annotations['team.example.com/owner']).toBe('payments');
    expect(pod.spec.containers[0].resources.limits.memory).toBe('512Mi');
    expect(pod.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(parse(read(dir, SERVICE)).spec.ports[0].port).toBe(8080);
    expect(read(dir, DEPLOYMENT)).not.toContain('<<<<<<<');

    expect(await validateAll(dir)).toEqual([]);
    commitAll(dir, 'sync');
    const check = await cli(dir, ['check']);
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/edited\s+deploy\/orders-api\/base\/deployment\.yaml/);
    expect(check.stdout).not.toMatch(/stale|missing|orphaned/);
  });
});

describe('explain', () => {
  it('`explain gitops` and `explain deploy` print the handbook; deploy adds the strategy table', async () => {
    const dir = makeRepo();
    const gitops = await run(dir, ['explain', 'gitops']);
    expectHandbook(gitops, 'GitOps (Kustomize + Argo CD) (gitops)', gitopsPractice.handbook);
    expect(gitops).toContain('git revert');

    const deploy = await run(dir, ['explain', 'deploy']);
    expectHandbook(deploy, `${deployPractice.title} (deploy)`, deployPractice.handbook);
    const table = deploy.split('\n').filter((l) => l.startsWith('|'));
    expect(table).toEqual([
      '| Strategy | Risk | Complexity | Best for |',
      '| --- | --- | --- | --- |',
      '| Rolling | Low | Low | Most services |',
      '| Blue/Green | Low | Medium | Stateful or DB-coupled services |',
      '| Canary | Lowest | High | High-traffic critical paths |',
      '| Feature flags | Lowest | Medium | Product experimentation |',
    ]);
  });
});

describe('upgrading a repository from per-service Argo CD Applications to ApplicationSets (issue 13)', () => {
  it('check says what sync will do; sync deletes the unedited old files, keeps and reports an edited one; check is clean', async () => {
    const dir = makeRepo('node-npm');
    await run(dir, ['init', '--yes', '--practices', 'ci,gitops']);
    commitAll(dir, 'devops-init');
    // The layout an earlier devops-init wrote: apps/<service>-<env>.yaml in the lock, no ApplicationSets,
    // and the lock's inputs digest of another version (which makes check render).
    const lock = JSON.parse(read(dir, '.devops-init/lock.json'));
    for (const env of ['staging', 'production']) {
      const old = `deploy/argocd/apps/orders-api-${env}.yaml`;
      const text = `# Generated by devops-init from devops.yaml. Edit devops.yaml and run \`devops-init sync\`; hand edits here are kept by a three-way merge.\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-orders-api-${env}\n  namespace: argocd\n`;
      write(dir, old, text);
      lock.files[old] = { practice: 'gitops', ownership: 'managed', hash: hashContent(text) };
      rmSync(join(dir, `deploy/argocd/apps/services-${env}.yaml`));
      delete lock.files[`deploy/argocd/apps/services-${env}.yaml`];
    }
    asWrittenByAnotherVersion(lock);
    write(dir, '.devops-init/lock.json', `${JSON.stringify(lock, null, 2)}\n`);
    // The team edited the production one.
    write(dir, 'deploy/argocd/apps/orders-api-production.yaml', `${read(dir, 'deploy/argocd/apps/orders-api-production.yaml')}  labels: { team: payments }\n`);
    commitAll(dir, 'the old layout');

    const check = await cli(dir, ['check']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/orphaned\s+deploy\/argocd\/apps\/orders-api-staging\.yaml.*devops-init sync \(deletes it if unedited\)/);
    expect(check.stdout).toMatch(/missing\s+deploy\/argocd\/apps\/services-staging\.yaml/);

    const sync = await run(dir, ['sync']);
    expect(sync).toMatch(/delete\s+deploy\/argocd\/apps\/orders-api-staging\.yaml/);
    expect(sync).toMatch(/release\s+deploy\/argocd\/apps\/orders-api-production\.yaml\s+\(no longer generated, but edited by hand/);
    expect(exists(dir, 'deploy/argocd/apps/orders-api-staging.yaml')).toBe(false);
    expect(read(dir, 'deploy/argocd/apps/orders-api-production.yaml')).toContain('team: payments');
    expect(parse(read(dir, 'deploy/argocd/apps/services-staging.yaml')).kind).toBe('ApplicationSet');
    commitAll(dir, 'devops-init sync');
    const after = await cli(dir, ['check', '--strict']);
    expect(after.exitCode, after.stdout).toBe(0);
  });
});
