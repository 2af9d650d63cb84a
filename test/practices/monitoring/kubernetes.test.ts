import { spawnSync } from 'node:child_process';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { typecheckJson } from '../../validators/grafana.js';
import { haveTool } from '../../validators/tool.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { monorepoSpec, nodeSpec, renderMonitoring, writeRecord } from './render.js';

describe('monitoring kubernetes objects', () => {
  const files = renderMonitoring(monorepoSpec(['monitoring', 'gitops', 'observability']));

  it('PrometheusRules validate with @kubernetes-models/prometheus-operator (and a broken one does not)', () => {
    for (const name of ['api-prometheusrule', 'web-prometheusrule', 'slos.prometheusrule']) {
      const obj = parse(files[`monitoring/kubernetes/${name}.yaml`]!);
      expect(() => new PrometheusRule(obj).validate()).not.toThrow();
    }
    const broken = parse(files['monitoring/kubernetes/api-prometheusrule.yaml']!);
    broken.spec.groups[0].rules[0].expr = 42; // wrong type: expr must be a string (or int-or-string)
    delete broken.spec.groups[0].name;
    expect(() => new PrometheusRule(broken).validate()).toThrow();
  });

  it('PrometheusRules type-check against IPrometheusRule: no unknown fields (a misspelt key is caught)', () => {
    const rule = parse(files['monitoring/kubernetes/api-prometheusrule.yaml']!);
    const shared = parse(files['monitoring/kubernetes/slos.prometheusrule.yaml']!);
    const misspelt = parse(files['monitoring/kubernetes/api-prometheusrule.yaml']!);
    misspelt.spec.groups[1].rules[0].annotation = misspelt.spec.groups[1].rules[0].annotations;
    const problems = typecheckJson(
      "import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';",
      'IPrometheusRule',
      [{ name: 'rule', json: rule }, { name: 'shared', json: shared }, { name: 'misspelt', json: misspelt }],
    );
    expect(problems.filter((p) => !p.startsWith('misspelt:'))).toEqual([]);
    expect(problems.some((p) => p.startsWith('misspelt:') && p.includes('annotation'))).toBe(true);
  });

  it('the dashboard ConfigMap validates with kubernetes-models', () => {
    expect(() => new ConfigMap(parse(files['monitoring/dashboards/services.dashboard.yaml']!)).validate()).not.toThrow();
    expect(() => new ConfigMap({ metadata: { name: 'x' }, data: { 'x.json': 1 } } as never).validate()).toThrow();
  });

  it('the Argo CD Application validates and targets monitoring/kubernetes in the platform project', () => {
    const app = parse(files['deploy/argocd/apps/monitoring-rules.yaml']!);
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.spec.project).toBe('platform');
    expect(app.spec.source.path).toBe('monitoring/kubernetes');
    expect(app.spec.destination.namespace).toBe('monitoring');
  });

  it('no Argo CD Application without gitops', () => {
    expect(Object.keys(renderMonitoring(nodeSpec())).some((p) => p.includes('argocd'))).toBe(false);
  });

  it.runIf(haveTool('yamllint'))('every YAML file passes yamllint', () => {
    const yaml = Object.fromEntries(Object.entries(files).filter(([p]) => /\.ya?ml$/.test(p)));
    expect(yamllintRecord(yaml)).toEqual([]);
  });

  it.runIf(haveTool('kubectl'))('kubectl kustomize builds the rules and dashboards (and fails when a resource is missing)', () => {
    const dir = writeRecord(files);
    const r = spawnSync('kubectl', ['kustomize', `${dir}/monitoring/kubernetes`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const kinds = parseAllDocuments(r.stdout).map((d) => `${d.get('kind')}/${d.getIn(['metadata', 'name'])}`);
    expect(kinds.sort()).toEqual(['ConfigMap/services-dashboard', 'PrometheusRule/api-slos', 'PrometheusRule/shop-slos-shared', 'PrometheusRule/web-slos']);
    spawnSync('rm', [`${dir}/monitoring/kubernetes/web-prometheusrule.yaml`]);
    expect(spawnSync('kubectl', ['kustomize', `${dir}/monitoring/kubernetes`], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
