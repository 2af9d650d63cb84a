import type { Language, Spec } from '../../spec/types.js';
import { platformApplication, platformProject, platformProjectOwner, platformProjectPath, repoURL } from '../observability/platform-apps.js';
import type { FileSpec, Practice, Question } from '../types.js';
import { FLUENT_BIT_IMAGE, LOKI_LABELS, STRUCTURED_METADATA, fluentBitConfig, lokiTarget } from './fluent-bit-config.js';
import { FLUENT_BIT_DIR, fluentBitKustomization, fluentBitManifests } from './fluent-bit-manifests.js';
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

function files(spec: Spec): FileSpec[] {
  const out: FileSpec[] = [];
  const manifests = fluentBitManifests(spec);
  out.push({
    path: `${FLUENT_BIT_DIR}/fluent-bit.yaml`,
    template: 'logging/to-yaml.yaml.hbs',
    data: { value: fluentBitConfig(spec) },
    ownership: 'managed',
  });
  for (const m of manifests) {
    out.push({
      path: `${FLUENT_BIT_DIR}/${m.file}`,
      template: 'logging/k8s-objects.yaml.hbs',
      data: { objects: m.objects },
      ownership: 'managed',
    });
  }
  out.push({
    path: `${FLUENT_BIT_DIR}/kustomization.yaml`,
    template: 'logging/to-yaml.yaml.hbs',
    data: { value: fluentBitKustomization(spec, manifests) },
    ownership: 'managed',
  });

  // With GitOps, Argo CD syncs the same Kustomize set (not the upstream chart): the
  // config the tests check is exactly the config that runs.
  if (spec.practices.includes('gitops')) {
    out.push({
      path: `${spec.gitops.dir}/argocd/apps/fluent-bit.yaml`,
      template: 'logging/to-yaml.yaml.hbs',
      data: {
        value: platformApplication(
          spec,
          'fluent-bit',
          spec.logging.namespace,
          { repoURL: repoURL(spec), path: FLUENT_BIT_DIR, targetRevision: spec.project.defaultBranch },
          [],
        ),
      },
      ownership: 'managed',
    });
  }
  if (platformProjectOwner(spec) === 'logging') {
    out.push({
      path: platformProjectPath(spec),
      template: 'logging/to-yaml.yaml.hbs',
      data: { value: platformProject(spec) },
      ownership: 'managed',
    });
  }

  out.push({ path: 'docs/logging.md', template: 'logging/logging.md.hbs', data: docsData(spec), ownership: 'managed' });
  return out;
}

function docsData(spec: Spec): Record<string, unknown> {
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
    gitops: spec.practices.includes('gitops'),
    gitopsDir: spec.gitops.dir,
  };
}

export const loggingPractice: Practice = {
  id: 'logging',
  title: 'Logging (JSON logs → Fluent Bit → Loki)',
  handbook: loggingHandbook,
  requires: [],
  questions: [lokiUrlQuestion],
  files,
};
