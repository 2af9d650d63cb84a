import type { AlertModel, Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
import { monitoringConfig } from './config.js';
import type { Practice } from '../types.js';
import type { AlertRule } from './alerts.js';
import { alertmanagerConfig, alertmanagerSecrets, routeExpectations } from './alertmanager.js';
import { dashboardConfigMap, sharedDashboards } from './dashboards.js';
import { docsData } from './docs.js';
import { monitoringHandbook } from './handbook.js';
import { availabilityQuestion, latencyThresholdQuestion, slackChannelQuestion } from './questions.js';
import { prometheusRule, serviceRuleGroups } from './rules.js';
import { isPlaceholderGrafana, monitoredService } from './slo.js';
import { serviceUnitTests } from './unit-tests.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE } from './versions.js';

export { sloProblems } from './validate.js';

export const MONITORING_DIR = 'monitoring';
export const ALERTMANAGER_CONFIG = `${MONITORING_DIR}/alertmanager/alertmanager.yml`;

export const rulesPath = (svc: Service) => `${MONITORING_DIR}/rules/${svc.name}.rules.yml`;
export const testsPath = (svc: Service) => `${MONITORING_DIR}/tests/${svc.name}.test.yml`;

type Obj = Record<string, unknown>;
const yamlFile = (path: string, value: Obj) => ({ owner: 'monitoring' as const, path, template: 'kustomize/value.yaml.hbs', data: { value }, ownership: 'managed' as const });

/** Every alert the rules define, for practices that read them (incident seeds a runbook per alert). */
function alertsOf(spec: Spec, services: Service[]): AlertModel[] {
  return services.flatMap((svc) =>
    serviceRuleGroups(spec, svc)
      .flatMap((g) => g.rules)
      .filter((r): r is AlertRule => 'alert' in r)
      .map((r) => {
        const alert: AlertModel = {
          name: r.alert,
          service: svc.name,
          severity: r.labels['severity'] as AlertModel['severity'],
          expr: r.expr,
          runbookUrl: r.annotations['runbook_url']!,
          dashboardUrl: r.annotations['dashboard_url']!,
          summary: r.annotations['summary']!,
          description: r.annotations['description']!,
          for: r.for,
        };
        if (r.labels['slo']) alert.slo = r.labels['slo'];
        return alert;
      }),
  );
}

/**
 * Monitoring: SLO burn-rate rules with promtool unit tests, Alertmanager routing, Grafana
 * dashboards and the CI pipeline that checks them; with GitOps, Argo CD syncs the rules and
 * dashboards. The SLOs count production traffic when observability labels series by environment.
 */
function contribute(spec: Spec, model: Model): void {
  const services = spec.services.map((s) => monitoredService(model, s));
  const withSlos = services.filter((s) => s.slos.length > 0);
  model.alerting = {
    owner: 'monitoring',
    alerts: alertsOf(spec, withSlos),
    alertmanagerConfig: alertmanagerConfig(spec),
    alertmanagerSecrets: [...new Set(alertmanagerSecrets(spec).flatMap((s) => (s.secret ? [s.secret.name] : [])))],
  };

  for (const svc of withSlos) {
    model.files.push(
      {
        owner: 'monitoring',
        path: rulesPath(svc),
        template: 'monitoring/rules.yml.hbs',
        data: { service: svc.name, testFile: testsPath(svc), value: { groups: serviceRuleGroups(spec, svc) } },
        ownership: 'managed',
      },
      {
        owner: 'monitoring',
        path: testsPath(svc),
        template: 'monitoring/unit-tests.yml.hbs',
        // promtool resolves rule_files relative to the test file's folder.
        data: { service: svc.name, path: testsPath(svc), value: serviceUnitTests(spec, svc, `../rules/${svc.name}.rules.yml`) },
        ownership: 'managed',
      },
    );
  }
  // Kustomize only loads files inside a kustomization's folder, so the dashboards folder
  // is a kustomization of its own that the main one includes as a directory.
  model.manifests.push(
    {
      owner: 'monitoring',
      dir: `${MONITORING_DIR}/dashboards`,
      files: sharedDashboards(spec, services).map((d) => ({ file: d.file, objects: () => [dashboardConfigMap(spec, d)] })),
    },
    {
      owner: 'monitoring',
      dir: `${MONITORING_DIR}/kubernetes`,
      namespace: spec.monitoring.namespace,
      files: withSlos.map((svc) => ({ file: `${svc.name}-prometheusrule.yaml`, objects: () => [prometheusRule(spec, svc)] })),
      extraResources: ['../dashboards'],
    },
  );
  // Before issue 13, one dashboard per service: sync deletes them when unedited.
  model.retiredPaths = [...(model.retiredPaths ?? []), ...services.map((svc) => `${MONITORING_DIR}/dashboards/${svc.name}-dashboard.yaml`)];
  model.files.push(yamlFile(ALERTMANAGER_CONFIG, alertmanagerConfig(spec)));
  model.pipelines.push({
    kind: 'slo-rules',
    id: 'monitoring',
    owner: 'monitoring',
    defaultBranch: spec.project.defaultBranch,
    hasRules: withSlos.length > 0,
    prometheusImage: PROMETHEUS_IMAGE,
    alertmanagerImage: ALERTMANAGER_IMAGE,
    routeTests: routeExpectations(spec).map((r) => ({
      receiver: r.receiver,
      labels: Object.entries(r.labels).map(([k, v]) => `${k}=${v}`),
    })),
  });
  model.files.push({ owner: 'monitoring', path: 'docs/slos.md', template: 'monitoring/slos.md.hbs', data: () => docsData(spec, model, services), ownership: 'managed' });
  if (withSlos.length > 0) addLinkWarnings(spec, model);

  if (model.argocd) {
    model.argocd.platform.namespaces.push(spec.monitoring.namespace);
    const source = { repoURL: model.source.repoURL, path: `${MONITORING_DIR}/kubernetes`, targetRevision: spec.project.defaultBranch };
    // PrometheusRule CRDs come with kube-prometheus-stack: skip the dry run until they exist.
    // Server-side apply: dashboard ConfigMaps outgrow the last-applied annotation (256 KiB).
    const app = model.argocd.platformApplication('monitoring-rules', spec.monitoring.namespace, source, ['SkipDryRunOnMissingResource=true', 'ServerSideApply=true']);
    model.argocd.files.push({
      owner: 'monitoring',
      file: 'apps/monitoring-rules.yaml',
      objects: () => [app],
      comments: [`Argo CD syncs the SLO rules and dashboards (monitoring/kubernetes) into ${JSON.stringify(spec.monitoring.namespace)}.`],
    });
  }
}

/**
 * Alerts link a dashboard and a runbook; say when those links lead nowhere. (Warnings are read
 * after every practice contributed, but `model.practices` already lists what is enabled.)
 */
function addLinkWarnings(spec: Spec, model: Model): void {
  if (isPlaceholderGrafana(spec.monitoring.grafanaUrl)) {
    model.warnings.push({
      owner: 'monitoring',
      text:
        `monitoring.grafanaUrl is the placeholder ${spec.monitoring.grafanaUrl}, so every alert's dashboard_url (Slack, PagerDuty) points at a ` +
        'host that is not yours. Set monitoring.grafanaUrl in devops.yaml to your Grafana\'s address and run `devops-init sync`.',
    });
  }
  if (!model.practices.includes('incident')) {
    model.warnings.push({
      owner: 'monitoring',
      text:
        `Alerts link runbooks under ${spec.monitoring.runbookBaseUrl}/, and nothing writes them yet: \`devops-init add incident\` ` +
        'seeds one per alert. Or write docs/runbooks/<alert>.md yourself, or set monitoring.runbookBaseUrl to where yours live (docs/slos.md lists every alert).',
    });
  }
}

export const monitoringPractice: Practice = {
  id: 'monitoring',
  title: 'Monitoring & alerting (SLOs, burn-rate alerts, Alertmanager, Grafana)',
  handbook: monitoringHandbook,
  config: monitoringConfig,
  questions: [slackChannelQuestion, availabilityQuestion, latencyThresholdQuestion],
  contribute,
};
