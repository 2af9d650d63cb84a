import type { Spec } from '../../spec/types.js';
import { collectorHttpEndpoint, otelEnv } from '../shared/otel.js';
import type { FileSpec, Practice, Question } from '../types.js';
import { CHARTS, backendEndpoints } from './charts.js';
import { collectorConfig, HEALTH_CHECK_PORT, lokiBase } from './collector-config.js';
import { COLLECTOR_DIR, collectorKustomization, collectorManifests } from './collector-manifests.js';
import { collectorImage, componentNames } from './components.js';
import { observabilityHandbook } from './handbook.js';
import { observabilityApplications, platformProject, platformProjectOwner, platformProjectPath } from './platform-apps.js';

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

/** Files of the observability practice: collector config + manifests, platform apps (with GitOps), docs. */
function files(spec: Spec): FileSpec[] {
  const out: FileSpec[] = [];
  const manifests = collectorManifests(spec);

  out.push({
    path: `${COLLECTOR_DIR}/config.yaml`,
    template: 'observability/to-yaml.yaml.hbs',
    data: { value: collectorConfig(spec) },
    ownership: 'managed',
  });
  for (const m of manifests) {
    out.push({
      path: `${COLLECTOR_DIR}/${m.file}`,
      template: 'observability/k8s-objects.yaml.hbs',
      data: { objects: m.objects },
      ownership: 'managed',
    });
  }
  out.push({
    path: `${COLLECTOR_DIR}/kustomization.yaml`,
    template: 'observability/to-yaml.yaml.hbs',
    data: { value: collectorKustomization(spec, manifests) },
    ownership: 'managed',
  });

  if (spec.practices.includes('gitops')) {
    for (const [file, app] of Object.entries(observabilityApplications(spec, COLLECTOR_DIR))) {
      out.push({
        path: `${spec.gitops.dir}/argocd/apps/${file}`,
        template: 'observability/to-yaml.yaml.hbs',
        data: { value: app },
        ownership: 'managed',
      });
    }
  }
  if (platformProjectOwner(spec) === 'observability') {
    out.push({
      path: platformProjectPath(spec),
      template: 'observability/to-yaml.yaml.hbs',
      data: { value: platformProject(spec) },
      ownership: 'managed',
    });
  }

  out.push({
    path: 'docs/observability.md',
    template: 'observability/observability.md.hbs',
    data: docsData(spec),
    ownership: 'managed',
  });
  return out;
}

/** Everything docs/observability.md prints, computed here so the template stays plain. */
function docsData(spec: Spec): Record<string, unknown> {
  const names = componentNames(spec.observability.collectorVersion);
  const ep = backendEndpoints(spec);
  const languages = new Set(spec.services.map((s) => s.language));
  const example = spec.services[0]!;
  return {
    gitops: spec.practices.includes('gitops'),
    logging: spec.practices.includes('logging'),
    monitoring: spec.practices.includes('monitoring'),
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
    exampleEnv: otelEnv(spec, example, 'production').map((e) => ({
      name: e.name,
      value: e.value ?? `(from ${e.valueFrom?.fieldRef.fieldPath ?? 'the pod'})`,
    })),
    services: spec.services.map((s) => ({ name: s.name, language: s.language })),
    node: languages.has('node'),
    python: languages.has('python'),
    java: languages.has('java'),
    go: languages.has('go'),
    gitopsDir: spec.gitops.dir,
  };
}

export const observabilityPractice: Practice = {
  id: 'observability',
  title: 'Observability (OpenTelemetry → Prometheus, Loki, Tempo)',
  handbook: observabilityHandbook,
  requires: [],
  questions: [collectorVersionQuestion],
  files,
};
