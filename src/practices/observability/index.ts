import { readFileSync } from 'node:fs';
import { ENVIRONMENT_LABEL } from '../../model/labels.js';
import { OTEL_NODE_CONTEXT, OTEL_NODE_DIR, OTEL_NODE_FILES } from '../../model/otel.js';
import { TEMPLATES_DIR } from '../../render/engine.js';
import { ENVIRONMENT_METRIC_LABEL } from '../../model/promql.js';
import { METRIC_EXPORT_INTERVAL_MS, NAMESPACE_METRIC_LABEL, POD_TEMPLATE_HASH_ATTRIBUTE, POD_TEMPLATE_HASH_METRIC_LABEL } from '../../model/telemetry.js';
import type { Model, TelemetryModel } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { observabilityConfig } from './config.js';
import type { Practice, Question } from '../types.js';
import { CHARTS, backendEndpoints } from './charts.js';
import { collectorConfig, HEALTH_CHECK_PORT, UNTRUSTED_K8S_PROCESSOR, lokiBase } from './collector-config.js';
import { COLLECTOR_CONFIG_MAP, COLLECTOR_DIR, collectorManifests } from './collector-manifests.js';
import { collectorImage, componentNames } from './components.js';
import { observabilityHandbook } from './handbook.js';
import { collectorHttpEndpoint, otelEnv } from './otel.js';
import { chartRepositories, observabilityApplications } from './platform-apps.js';

const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;

const collectorVersionQuestion: Question = {
  id: 'collectorVersion',
  flag: '--collector-version <version>',
  description: 'OpenTelemetry Collector (contrib) release to run; the config uses that release\'s component names',
  message: 'OpenTelemetry Collector version',
  kind: 'input',
  current: (spec) => spec.observability.collectorVersion,
  default: (spec) => spec.observability.collectorVersion,
  validate: (v) => (VERSION.test(v) ? undefined : 'use a release number like 0.147.0'),
  apply: (_spec, value) => [{ path: ['observability', 'collectorVersion'], value: String(value) }],
};

/**
 * Observability: every service exports OpenTelemetry (traces, metrics, logs) to a collector
 * that ships them to Prometheus, Tempo and Loki; with GitOps, Argo CD deploys the collector
 * and the backends (pinned charts) in the platform project.
 */
function contribute(spec: Spec, model: Model): void {
  const telemetry: TelemetryModel = {
    environmentLabel: ENVIRONMENT_METRIC_LABEL,
    namespaceLabel: NAMESPACE_METRIC_LABEL,
    podTemplateHashLabel: POD_TEMPLATE_HASH_METRIC_LABEL,
    metricExportIntervalMs: METRIC_EXPORT_INTERVAL_MS,
    logsExportedByShipper: false,
  };
  model.telemetry = telemetry;
  // Logs go over OTLP to Loki's native endpoint (until logging replaces this with Fluent Bit): Loki
  // indexes service.name and k8s.namespace.name (the collector sets it) as service_name and
  // k8s_namespace_name by default, and keeps severity_number as structured metadata (17+ is ERROR).
  model.logs = { owner: 'observability', shipper: 'the OpenTelemetry SDKs through the collector (OTLP)', errorQuery: (ns, svc) => `{service_name="${svc}", k8s_namespace_name="${ns}"} | severity_number >= 17` };
  for (const svc of model.services) svc.instrumented = true;
  // deployment.environment.name comes from the overlay's environment label, so the base
  // stays environment-free and no overlay has to patch an env list by index.
  for (const w of model.workloads) {
    const svc = model.services.find((s) => s.name === w.service)!.spec;
    w.env.push(() => [
      { name: 'DEPLOYMENT_ENVIRONMENT', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ENVIRONMENT_LABEL}']` } } },
      ...otelEnv(spec, svc, '$(DEPLOYMENT_ENVIRONMENT)', telemetry.logsExportedByShipper),
    ]);
  }

  const manifests = collectorManifests(spec);
  model.files.push({ owner: 'observability', path: `${COLLECTOR_DIR}/config.yaml`, template: 'kustomize/value.yaml.hbs', data: { value: collectorConfig(spec) }, ownership: 'managed' });
  model.manifests.push({
    owner: 'observability',
    dir: COLLECTOR_DIR,
    namespace: spec.observability.namespace,
    files: manifests.map((m) => ({ file: m.file, objects: () => m.objects })),
    configMaps: [{ name: COLLECTOR_CONFIG_MAP, files: ['config.yaml'] }],
    partOf: 'observability',
  });

  if (model.argocd) {
    const platform = model.argocd.platform;
    platform.namespaces.push(spec.monitoring.namespace, spec.observability.namespace);
    platform.sourceRepos.push(...chartRepositories());
    for (const [file, app] of Object.entries(observabilityApplications(spec, model, COLLECTOR_DIR))) {
      model.argocd.files.push({ owner: 'observability', file: `apps/${file}`, objects: () => [app()] });
    }
  }
  addNodeLock(model);
  model.files.push({ owner: 'observability', path: 'docs/observability.md', template: 'observability/observability.md.hbs', data: () => docsData(spec, model), ownership: 'managed' });
  addInstrumentationWarnings(spec, model);
}

/** Node services whose seeded Dockerfile installs OpenTelemetry from the shared lock (Bun has no preload hook). */
const usesNodeLock = (spec: { language: string; packageManager: string }): boolean => spec.language === 'node' && spec.packageManager !== 'bun';

/**
 * Node's zero-code OpenTelemetry (@opentelemetry/auto-instrumentations-node, ~200 packages)
 * comes from one lock devops-init ships: written once per repository to OTEL_NODE_DIR (managed,
 * so an upgrade of devops-init moves it), and given to each Node service's image build as the
 * named context OTEL_NODE_CONTEXT, where the seeded Dockerfile runs `npm ci` on it. Nothing is
 * copied per service, and the build context stays the service's own.
 */
function addNodeLock(model: Model): void {
  const node = model.services.filter((s) => usesNodeLock(s.spec));
  // Only the seeded Dockerfile (ci) reads it.
  if (node.length === 0 || !model.practices.includes('ci')) return;
  for (const svc of node) svc.buildContexts[OTEL_NODE_CONTEXT] = OTEL_NODE_DIR;
  for (const f of OTEL_NODE_FILES) {
    model.files.push({ owner: 'observability', path: f.path, template: 'observability/text.hbs', data: () => ({ text: shipped(f.shipped) }), ownership: 'managed' });
  }
}

const shippedText = new Map<string, string>();
/** A data file shipped under templates/ (read once; the package's own data, never the network). */
function shipped(name: string): string {
  let text = shippedText.get(name);
  if (text === undefined) shippedText.set(name, (text = readFileSync(TEMPLATES_DIR + name, 'utf8')));
  return text;
}

/**
 * Languages whose OpenTelemetry is wired without touching the code (the seeded Dockerfile loads
 * the Node register hook, opentelemetry-instrument or the Java agent). Go has no agent: the SDK
 * and otelhttp must be added to the code, or the service exports nothing.
 */
const ZERO_CODE: ReadonlySet<string> = new Set(['node', 'python', 'java']);

/**
 * Say which services export nothing until their code changes, and what reads their metrics
 * meanwhile (SLO rules see no series, rollout analysis stays inconclusive).
 */
function addInstrumentationWarnings(spec: Spec, model: Model): void {
  const manual = spec.services.filter((s) => !ZERO_CODE.has(s.language));
  if (manual.length === 0) return;
  const names = manual.map((s) => `${s.name} (${s.language})`).join(', ');
  const consequences: string[] = [];
  if (model.practices.includes('monitoring') && manual.some((s) => s.slos.length > 0)) {
    consequences.push('the SLO rules have no series to read (the SLIMissing ticket fires after an hour)');
  }
  if (model.practices.includes('deploy') && manual.some((s) => s.deploy.strategy !== 'rolling')) {
    consequences.push('rollout analysis finds no requests and pauses every rollout as inconclusive');
  }
  model.warnings.push({
    owner: 'observability',
    text:
      `${names}: no zero-code OpenTelemetry for this language, so the service exports no traces or metrics until its code does it` +
      (consequences.length > 0 ? `; until then ${consequences.join(', and ')}` : '') +
      '. Add the SDK with the OTLP exporters and wrap the HTTP server with otelhttp.NewHandler ' +
      '(go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp), which records http.server.request.duration: docs/observability.md ("Go") has the code.',
  });
}

/** Everything docs/observability.md prints, computed here so the template stays plain. */
function docsData(spec: Spec, model: Model): Record<string, unknown> {
  const names = componentNames(spec.observability.collectorVersion);
  const ep = backendEndpoints(spec);
  const languages = new Set(spec.services.map((s) => s.language));
  const example = spec.services[0]!;
  return {
    gitops: model.argocd !== undefined,
    logging: model.telemetry!.logsExportedByShipper,
    monitoring: model.alerting !== undefined,
    collectorNamespace: spec.observability.namespace,
    monitoringNamespace: spec.monitoring.namespace,
    collectorVersion: spec.observability.collectorVersion,
    collectorImage: collectorImage(spec.observability.collectorVersion),
    otlpEndpoint: collectorHttpEndpoint(spec),
    healthPort: HEALTH_CHECK_PORT,
    prometheusOtlp: `${ep.prometheus}/api/v1/otlp`,
    tempoGrpc: ep.tempoGrpc,
    lokiOtlp: `${lokiBase(spec)}/otlp`,
    names,
    charts: Object.values(CHARTS),
    exampleService: example.name,
    exampleEnv: otelEnv(spec, example, 'production', model.telemetry!.logsExportedByShipper).map((e) => ({
      name: e.name,
      value: e.value ?? `(from ${e.valueFrom && 'fieldRef' in e.valueFrom ? e.valueFrom.fieldRef.fieldPath : 'the pod'})`,
    })),
    services: spec.services.map((s) => ({ name: s.name, language: s.language })),
    node: languages.has('node'),
    nodeLock: model.services.some((s) => s.buildContexts[OTEL_NODE_CONTEXT] !== undefined) ? { dir: OTEL_NODE_DIR, context: OTEL_NODE_CONTEXT } : null,
    // The exact local build of each Node service that reads the lock (from the repository root).
    nodeLockBuilds: model.services.filter((s) => s.buildContexts[OTEL_NODE_CONTEXT] !== undefined && s.image).map((s) => ({ dockerfile: s.image!.dockerfile, context: s.image!.context })),
    python: languages.has('python'),
    java: languages.has('java'),
    go: languages.has('go'),
    gitopsDir: spec.gitops.dir,
    untrustedProcessor: `${names.resourceProcessor}/${UNTRUSTED_K8S_PROCESSOR}`,
    productionExample: model.namespaces?.production ?? 'production',
    hashAttribute: POD_TEMPLATE_HASH_ATTRIBUTE,
    hashLabel: POD_TEMPLATE_HASH_METRIC_LABEL,
    exportIntervalMs: METRIC_EXPORT_INTERVAL_MS,
    exportIntervalSeconds: METRIC_EXPORT_INTERVAL_MS / 1000,
  };
}

export const observabilityPractice: Practice = {
  id: 'observability',
  title: 'Observability (OpenTelemetry → Prometheus, Loki, Tempo)',
  handbook: observabilityHandbook,
  config: observabilityConfig,
  questions: [collectorVersionQuestion],
  contribute,
};
