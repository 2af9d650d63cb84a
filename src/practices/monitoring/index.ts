import type { AlertModel, Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
import { monitoringConfig } from './config.js';
import type { Practice } from '../types.js';
import type { AlertRule } from './alerts.js';
import { extraLabels, testsWithExtraLabels, withExtraLabels } from './alert-labels.js';
import { alertmanagerConfig, alertmanagerSecrets, routeExpectations } from './alertmanager.js';
import { dashboardConfigMap, sharedDashboards } from './dashboards.js';
import { docsData } from './docs.js';
import { monitoringHandbook } from './handbook.js';
import { availabilityQuestion, latencyThresholdQuestion, slackChannelQuestion } from './questions.js';
import { prometheusRule, serviceAlertRules, serviceRuleGroups, sharedPrometheusRule } from './rules.js';
import { isPlaceholderGrafana, monitoredService } from './slo.js';
import { exampleServices, extractedRules, serviceUnitTests, sharedUnitTests } from './unit-tests.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE } from './versions.js';

export { sloProblems } from './validate.js';

export const MONITORING_DIR = 'monitoring';
export const ALERTMANAGER_CONFIG = `${MONITORING_DIR}/alertmanager/alertmanager.yml`;

export const testsPath = (svc: Service) => `${MONITORING_DIR}/tests/${svc.name}.test.yml`;
/** The script CI runs (promtool check and test on the rules extracted from the PrometheusRules). */
export const PROMTOOL_SCRIPT = `${MONITORING_DIR}/promtool.sh`;
/** Shared files: no service name (a DNS label) contains a dot, so none can collide with a service's. */
const SHARED_RULE_FILE = 'slos.prometheusrule.yaml';
const SHARED_TESTS = `${MONITORING_DIR}/tests/slos.shared.test.yml`;
const EXAMPLE_RULES = 'fixtures/example-services.rules.yml';
const ruleFile = (svc: Service) => `${svc.name}-prometheusrule.yaml`;

type Obj = Record<string, unknown>;
const yamlFile = (path: string, value: Obj) => ({ owner: 'monitoring' as const, path, template: 'kustomize/value.yaml.hbs', data: { value }, ownership: 'managed' as const });

/** Every alert the rules define, for practices that read them (incident seeds a runbook per alert). */
function alertsOf(services: Service[], alertRulesOf: (svc: Service) => AlertRule[]): AlertModel[] {
  return services.flatMap((svc) =>
    alertRulesOf(svc)
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
  // Each service's alert rules, built once for the alert list, its PrometheusRule and its
  // promtool tests (the same spec and service give the same rules). Only the alerts are kept:
  // the recordings are built when the PrometheusRule renders, and die young.
  const alertRules = new Map<Service, AlertRule[]>();
  const alertRulesOf = (svc: Service): AlertRule[] => {
    let rules = alertRules.get(svc);
    if (!rules) alertRules.set(svc, (rules = serviceAlertRules(spec, svc)));
    return rules;
  };
  // Late values (getters): incident contributes after monitoring and sets `routing` and each alert's `labels`.
  const alerting: NonNullable<Model['alerting']> = {
    owner: 'monitoring',
    alerts: alertsOf(withSlos, alertRulesOf),
    get alertmanagerConfig() {
      return alertmanagerConfig(spec, alerting.routing);
    },
    get alertmanagerSecrets() {
      return [...new Set(alertmanagerSecrets(spec, alerting.routing).flatMap((s) => (s.secret ? [s.secret.name] : [])))];
    },
  };
  model.alerting = alerting;
  const extra = extraLabels(model);
  // Every alert links the shared dashboard of its service's metrics shape, named after how that
  // shape compares with the first service's (dashboardOf): a service's rules and tests read the
  // first service's `metrics` too (its metric names and selector; defaults are the tool's).
  const alsoReads = { alsoReads: ['services.0.metrics'] };

  for (const svc of withSlos) {
    model.files.push({
      owner: 'monitoring',
      path: testsPath(svc),
      template: 'monitoring/unit-tests.yml.hbs',
      // A thunk: incident adds its labels to the alerts after monitoring contributed.
      data: () => ({ service: svc.name, value: testsWithExtraLabels(serviceUnitTests(spec, svc, extractedRules(SHARED_RULE_FILE), extractedRules(ruleFile(svc)), alertRulesOf(svc)), extra) }),
      ownership: 'managed',
      service: svc.name,
      ...alsoReads,
    });
  }
  if (withSlos.length > 0) {
    // The shared group is tested once, on two synthetic services whose rules sit beside the test.
    const examples = exampleServices(withSlos[0]!);
    // Their alerts link the page that explains them (no runbook exists, and none should: they
    // are never deployed), so doctor and incident find no alert without a runbook.
    const exampleSpec: Spec = { ...spec, monitoring: { ...spec.monitoring, runbookBaseUrl: `${model.source.blobURL('docs/slos.md')}#how-the-rules-are-shared` } };
    model.files.push(
      {
        owner: 'monitoring',
        path: `${MONITORING_DIR}/tests/${EXAMPLE_RULES}`,
        template: 'monitoring/rules.yml.hbs',
        data: { value: { groups: examples.flatMap((svc) => serviceRuleGroups(exampleSpec, svc)) } },
        ownership: 'managed',
      },
      {
        owner: 'monitoring',
        path: SHARED_TESTS,
        template: 'monitoring/shared-tests.yml.hbs',
        data: { value: sharedUnitTests(exampleSpec, examples, extractedRules(SHARED_RULE_FILE), EXAMPLE_RULES) },
        ownership: 'managed',
      },
      { owner: 'monitoring', path: PROMTOOL_SCRIPT, template: 'monitoring/promtool.sh.hbs', data: { prometheusImage: PROMETHEUS_IMAGE }, ownership: 'managed', executable: true },
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
      files: [
        ...(withSlos.length > 0 ? [{ file: SHARED_RULE_FILE, objects: () => [sharedPrometheusRule(spec)] }] : []),
        ...withSlos.map((svc) => ({ file: ruleFile(svc), service: svc.name, ...alsoReads, objects: () => [prometheusRule(spec, svc, (groups) => withExtraLabels(groups, extra), alertRulesOf(svc))] })),
      ],
      extraResources: ['../dashboards'],
    },
  );
  // Before issue 13, one dashboard per service and the rules twice (a plain file beside the
  // PrometheusRule): sync deletes them when unedited.
  model.retiredPaths = [
    ...(model.retiredPaths ?? []),
    ...services.map((svc) => `${MONITORING_DIR}/dashboards/${svc.name}-dashboard.yaml`),
    ...withSlos.map((svc) => `${MONITORING_DIR}/rules/${svc.name}.rules.yml`),
  ];
  model.files.push({ ...yamlFile(ALERTMANAGER_CONFIG, {}), data: () => ({ value: alerting.alertmanagerConfig }) });
  model.pipelines.push({
    kind: 'slo-rules',
    id: 'monitoring',
    owner: 'monitoring',
    defaultBranch: spec.project.defaultBranch,
    hasRules: withSlos.length > 0,
    prometheusImage: PROMETHEUS_IMAGE,
    alertmanagerImage: ALERTMANAGER_IMAGE,
    // A getter: the routes depend on incident's routing, set later.
    get routeTests() {
      return routeExpectations(spec, alerting.routing).map((r) => ({
        receiver: r.receiver,
        labels: Object.entries(r.labels).map(([k, v]) => `${k}=${v}`),
      }));
    },
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
