import { describe, expect, it } from 'vitest';
import type { PracticeId } from '../../../src/spec/types.js';
import { parse } from 'yaml';
import { loggingPractice } from '../../../src/practices/logging/index.js';
import { CHARTS } from '../../../src/practices/observability/charts.js';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { makeSpec, renderRecord, renderedFiles } from '../../helpers/spec.js';
import { typecheckModels, validateModels, type K8sObject } from './k8s-validate.js';
import { nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';

const argoFiles = (rec: Record<string, string>) =>
  Object.fromEntries(Object.entries(rec).filter(([p]) => p.startsWith('deploy/argocd/')).map(([p, c]) => [p, parse(c) as K8sObject]));

describe('Argo CD objects for the telemetry platform', () => {
  const spec = nodeSpec();
  const objs = argoFiles({
    ...renderPracticeRecord(observabilityPractice, spec),
    ...renderPracticeRecord(loggingPractice, spec),
    'deploy/argocd/platform-project.yaml': renderRecord(spec)['deploy/argocd/platform-project.yaml']!,
  });

  it('validate with @kubernetes-models/argo-cd and type-check against its interfaces', () => {
    expect(Object.keys(objs).sort()).toEqual([
      'deploy/argocd/apps/fluent-bit.yaml',
      'deploy/argocd/apps/kube-prometheus-stack.yaml',
      'deploy/argocd/apps/loki.yaml',
      'deploy/argocd/apps/otel-collector.yaml',
      'deploy/argocd/apps/tempo.yaml',
      'deploy/argocd/platform-project.yaml',
    ]);
    expect(validateModels(Object.values(objs))).toEqual([]);
    expect(typecheckModels(Object.values(objs))).toEqual([]);
  });

  it('the argo-cd models catch a broken Application (destination of the wrong type)', () => {
    const broken = structuredClone(objs['deploy/argocd/apps/loki.yaml']!) as any;
    broken.spec.destination = 'monitoring';
    expect(validateModels([broken]).join('\n')).toMatch(/destination/);
  });

  it('pins every chart to an exact version and installs it in the platform project', () => {
    for (const [file, chart] of [
      ['kube-prometheus-stack', CHARTS.kubePrometheusStack],
      ['loki', CHARTS.loki],
      ['tempo', CHARTS.tempo],
    ] as const) {
      const app = objs[`deploy/argocd/apps/${file}.yaml`] as any;
      expect(app.spec.project).toBe('platform');
      expect(app.spec.source).toMatchObject({ repoURL: chart.repoURL, chart: chart.chart, targetRevision: chart.version });
      expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('kube-prometheus-stack: OTLP receiver, rule selection by the release label, dashboard sidecar, server-side apply', () => {
    const app = objs['deploy/argocd/apps/kube-prometheus-stack.yaml'] as any;
    const values = app.spec.source.helm.valuesObject;
    expect(values.prometheus.prometheusSpec.enableOTLPReceiver).toBe(true);
    expect(values.prometheus.prometheusSpec.ruleSelector).toEqual({ matchLabels: { release: spec.monitoring.prometheusRelease } });
    expect(values.prometheus.prometheusSpec.ruleNamespaceSelector).toEqual({});
    expect(values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard' });
    expect(values.grafana.admin.existingSecret).toBe('grafana-admin');
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(app.spec.source.helm.releaseName).toBe(spec.monitoring.prometheusRelease);
  });

  it('Loki: monolithic, TSDB schema v13 with structured metadata, the date kept a string', () => {
    const values = (objs['deploy/argocd/apps/loki.yaml'] as any).spec.source.helm.valuesObject;
    expect(values.deploymentMode).toBe('SingleBinary');
    expect(values.loki.schemaConfig.configs[0]).toMatchObject({ store: 'tsdb', schema: 'v13', from: '2024-04-01' });
    expect(values.loki.limits_config.allow_structured_metadata).toBe(true);
  });

  it('the platform project allows only the telemetry namespaces, its sources and the cluster kinds the charts need', () => {
    const project = objs['deploy/argocd/platform-project.yaml'] as any;
    expect(project.metadata.name).toBe('platform');
    expect(project.spec.destinations.map((d: any) => d.namespace).sort()).toEqual(['logging', 'monitoring', 'observability']);
    expect(project.spec.sourceRepos.sort()).toEqual(
      ['https://github.com/acme/shop.git', 'https://grafana.github.io/helm-charts', 'https://prometheus-community.github.io/helm-charts'].sort(),
    );
    // Namespaces only by the platform's own names (a chart cannot adopt another namespace).
    expect(project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}${k.name ? `:${k.name}` : ''}`).sort()).toEqual(
      [
        '/Namespace:logging',
        '/Namespace:monitoring',
        '/Namespace:observability',
        'admissionregistration.k8s.io/MutatingWebhookConfiguration',
        'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
        'apiextensions.k8s.io/CustomResourceDefinition',
        'rbac.authorization.k8s.io/ClusterRole',
        'rbac.authorization.k8s.io/ClusterRoleBinding',
      ].sort(),
    );
    expect(JSON.stringify(project.spec)).not.toContain('"*"');
  });

  it('gitops writes the platform project once the platform practices add to it, and nothing without GitOps', () => {
    const owner = (practices: PracticeId[]) => renderedFiles(makeSpec({ practices })).find((f) => f.path === 'deploy/argocd/platform-project.yaml')?.practice;
    expect(owner(['gitops', 'observability', 'monitoring', 'logging'])).toBe('gitops');
    expect(owner(['gitops', 'monitoring', 'logging'])).toBe('gitops');
    expect(owner(['gitops', 'logging'])).toBe('gitops');
    expect(owner(['gitops'])).toBeUndefined();
    const namespaces = (practices: PracticeId[]) => (parse(renderRecord(makeSpec({ practices }))['deploy/argocd/platform-project.yaml']!) as any).spec.destinations.map((d: any) => d.namespace);
    expect(namespaces(['gitops', 'logging'])).toEqual(['logging']);
    expect(namespaces(['gitops', 'monitoring', 'logging'])).toEqual(['monitoring', 'logging']);
    const noGitops = renderRecord(makeSpec({ practices: ['observability', 'logging'] }));
    expect(Object.keys(noGitops).filter((p) => p.startsWith('deploy/'))).toEqual([]);
  });
});
