import type { Service, Spec } from '../../spec/types.js';
import { platformApplication, platformProject, platformProjectOwner, platformProjectPath } from '../observability/platform-apps.js';
import type { FileSpec, Practice } from '../types.js';
import { alertmanagerConfig, routeExpectations } from './alertmanager.js';
import { dashboardConfigMap } from './dashboards.js';
import { docsData } from './docs.js';
import { monitoringHandbook } from './handbook.js';
import { availabilityQuestion, latencyThresholdQuestion, slackChannelQuestion } from './questions.js';
import { prometheusRule, serviceRuleGroups } from './rules.js';
import { monitoredService } from './slo.js';
import { serviceUnitTests } from './unit-tests.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE } from './versions.js';

export { alertNames } from './alerts.js';
export { sloProblems } from './validate.js';

export const MONITORING_DIR = 'monitoring';
export const ALERTMANAGER_CONFIG = `${MONITORING_DIR}/alertmanager/alertmanager.yml`;

export const rulesPath = (svc: Service) => `${MONITORING_DIR}/rules/${svc.name}.rules.yml`;
export const testsPath = (svc: Service) => `${MONITORING_DIR}/tests/${svc.name}.test.yml`;
export const prometheusRulePath = (svc: Service) => `${MONITORING_DIR}/kubernetes/${svc.name}-prometheusrule.yaml`;
export const dashboardPath = (svc: Service) => `${MONITORING_DIR}/dashboards/${svc.name}-dashboard.yaml`;

const managed = (path: string, template: string, data: Record<string, unknown>): FileSpec => ({ path, template, data, ownership: 'managed' });
const yamlFile = (path: string, value: unknown) => managed(path, 'monitoring/to-yaml.yaml.hbs', { value });

function files(spec: Spec): FileSpec[] {
  const services = spec.services.map((s) => monitoredService(spec, s));
  const withSlos = services.filter((s) => s.slos.length > 0);
  const out: FileSpec[] = [];

  for (const svc of withSlos) {
    out.push(
      managed(rulesPath(svc), 'monitoring/rules.yml.hbs', {
        service: svc.name,
        testFile: testsPath(svc),
        value: { groups: serviceRuleGroups(spec, svc) },
      }),
      managed(testsPath(svc), 'monitoring/unit-tests.yml.hbs', {
        service: svc.name,
        path: testsPath(svc),
        // promtool resolves rule_files relative to the test file's folder.
        value: serviceUnitTests(spec, svc, `../rules/${svc.name}.rules.yml`),
      }),
      yamlFile(prometheusRulePath(svc), prometheusRule(spec, svc)),
    );
  }
  for (const svc of services) out.push(yamlFile(dashboardPath(svc), dashboardConfigMap(spec, svc)));

  // Kustomize only loads files inside a kustomization's folder, so the dashboards folder
  // is a kustomization of its own that the main one includes as a directory.
  out.push(
    yamlFile(`${MONITORING_DIR}/dashboards/kustomization.yaml`, {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: services.map((s) => `${s.name}-dashboard.yaml`),
    }),
    yamlFile(`${MONITORING_DIR}/kubernetes/kustomization.yaml`, {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: spec.monitoring.namespace,
      resources: [...withSlos.map((s) => `${s.name}-prometheusrule.yaml`), '../dashboards'],
    }),
    yamlFile(ALERTMANAGER_CONFIG, alertmanagerConfig(spec)),
    managed('.github/workflows/monitoring.yml', 'monitoring/workflow.yml.hbs', {
      hasRules: withSlos.length > 0,
      prometheusImage: PROMETHEUS_IMAGE,
      alertmanagerImage: ALERTMANAGER_IMAGE,
      routeTests: routeExpectations(spec).map((r) => ({
        receiver: r.receiver,
        labels: Object.entries(r.labels).map(([k, v]) => `${k}=${v}`),
      })),
    }),
    managed('docs/slos.md', 'monitoring/slos.md.hbs', docsData(spec, services)),
  );

  if (spec.practices.includes('gitops')) {
    const source = {
      repoURL: `https://github.com/${spec.project.repository}.git`,
      path: `${MONITORING_DIR}/kubernetes`,
      targetRevision: spec.project.defaultBranch,
    };
    // PrometheusRule CRDs come with kube-prometheus-stack: skip the dry run until they exist.
    // Server-side apply: dashboard ConfigMaps outgrow the last-applied annotation (256 KiB).
    const app = platformApplication(spec, 'monitoring-rules', spec.monitoring.namespace, source, ['SkipDryRunOnMissingResource=true', 'ServerSideApply=true']);
    out.push(managed(`${spec.gitops.dir}/argocd/apps/monitoring-rules.yaml`, 'monitoring/argocd-app.yaml.hbs', { value: app }));
    if (platformProjectOwner(spec) === 'monitoring') out.push(yamlFile(platformProjectPath(spec), platformProject(spec)));
  }
  return out;
}

export const monitoringPractice: Practice = {
  id: 'monitoring',
  title: 'Monitoring & alerting (SLOs, burn-rate alerts, Alertmanager, Grafana)',
  handbook: monitoringHandbook,
  requires: [],
  questions: [slackChannelQuestion, availabilityQuestion, latencyThresholdQuestion],
  files,
};
