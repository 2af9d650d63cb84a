import type { Model } from '../../model/types.js';
import type { Language, Spec } from '../../spec/types.js';
import { loggingConfig } from './config.js';
import type { Practice, Question } from '../types.js';
import {
  FLUENT_BIT_IMAGE,
  IMAGE_PARSERS_FILE,
  LOKI_LABELS,
  STRUCTURED_METADATA,
  TAIL_BUFFER_CHUNK_SIZE,
  TAIL_BUFFER_MAX_SIZE,
  fluentBitConfig,
  lokiTarget,
} from './fluent-bit-config.js';
import { FLUENT_BIT_CONFIG_MAP, FLUENT_BIT_DIR, fluentBitManifests } from './fluent-bit-manifests.js';
import { loggingHandbook } from './handbook.js';

const URL_PATTERN = /^https?:\/\/[^\s"'`$\\]+$/;

const lokiUrlQuestion: Question = {
  id: 'lokiUrl',
  flag: '--loki-url <url>',
  description: 'Base URL of Loki (its gateway) that Fluent Bit and the collector push to',
  message: 'Loki URL',
  kind: 'input',
  current: (spec) => spec.logging.lokiUrl,
  default: (spec) => spec.logging.lokiUrl,
  validate: (v) => {
    if (!URL_PATTERN.test(v)) return 'use an http(s) URL such as http://loki-gateway.monitoring.svc';
    try {
      new URL(v);
      return undefined;
    } catch {
      return 'not a valid URL';
    }
  },
  apply: (_spec, value) => [{ path: ['logging', 'lokiUrl'], value: String(value) }],
};

/**
 * Logging: services log JSON to stdout; a Fluent Bit DaemonSet ships it to Loki with
 * low-cardinality labels. With observability on, SDKs stop exporting logs over OTLP (the
 * same lines would be stored twice); with GitOps, Argo CD deploys Fluent Bit.
 */
function contribute(spec: Spec, model: Model): void {
  if (model.telemetry) model.telemetry.logsExportedByShipper = true;
  // The runbooks' log query: the stream labels Fluent Bit sets (LOKI_LABELS) and the JSON level field.
  const label = (accessor: string) => LOKI_LABELS.find(([, a]) => a.includes(accessor))![0];
  const [nsLabel, appLabel] = [label("['namespace_name']"), label("['app.kubernetes.io/name']")];
  model.logs = { owner: 'logging', shipper: 'Fluent Bit', errorQuery: (ns, svc) => `{${nsLabel}="${ns}", ${appLabel}="${svc}"} | json | level="error"` };
  model.files.push({ owner: 'logging', path: `${FLUENT_BIT_DIR}/fluent-bit.yaml`, template: 'kustomize/value.yaml.hbs', data: { value: fluentBitConfig(spec) }, ownership: 'managed' });
  model.manifests.push({
    owner: 'logging',
    dir: FLUENT_BIT_DIR,
    namespace: spec.logging.namespace,
    files: fluentBitManifests(spec).map((m) => ({ file: m.file, objects: () => m.objects })),
    configMaps: [{ name: FLUENT_BIT_CONFIG_MAP, files: ['fluent-bit.yaml'] }],
    partOf: 'logging',
  });
  // With GitOps, Argo CD syncs the same Kustomize set (not the upstream chart): the
  // config the tests check is exactly the config that runs.
  if (model.argocd) {
    model.argocd.platform.namespaces.push(spec.logging.namespace);
    const app = model.argocd.platformApplication('fluent-bit', spec.logging.namespace, { repoURL: model.source.repoURL, path: FLUENT_BIT_DIR, targetRevision: spec.project.defaultBranch }, []);
    model.argocd.files.push({ owner: 'logging', file: 'apps/fluent-bit.yaml', objects: () => [app] });
  }
  model.files.push({ owner: 'logging', path: 'docs/logging.md', template: 'logging/logging.md.hbs', data: () => docsData(spec, model), ownership: 'managed' });
}

function docsData(spec: Spec, model: Model): Record<string, unknown> {
  const byLanguage = (lang: Language) => spec.services.filter((s) => s.language === lang).map((s) => s.name).join(', ');
  const loki = lokiTarget(spec);
  return {
    node: byLanguage('node'),
    python: byLanguage('python'),
    go: byLanguage('go'),
    java: byLanguage('java'),
    namespace: spec.logging.namespace,
    image: FLUENT_BIT_IMAGE,
    lokiEndpoint: `${loki.tls ? 'https' : 'http'}://${loki.host}:${loki.port}${loki.uri}`,
    labels: LOKI_LABELS.map(([k]) => k).join(', '),
    metadata: STRUCTURED_METADATA.map(([k]) => k).join(', '),
    gitops: model.argocd !== undefined,
    gitopsDir: spec.gitops.dir,
    bufferChunkSize: TAIL_BUFFER_CHUNK_SIZE,
    bufferMaxSize: TAIL_BUFFER_MAX_SIZE,
    parsersFile: IMAGE_PARSERS_FILE,
  };
}

export const loggingPractice: Practice = {
  id: 'logging',
  title: 'Logging (JSON logs → Fluent Bit → Loki)',
  handbook: loggingHandbook,
  config: loggingConfig,
  questions: [lokiUrlQuestion],
  contribute,
};
