import { retireOverlayPatchFiles } from '../../model/build.js';
import type { ManifestFile, Model, WorkloadModel } from '../../model/types.js';
import type { Language, Service, Spec } from '../../spec/types.js';
import { deployConfig } from './config.js';
import type { Practice } from '../types.js';
import { FLAGD_IMAGE, FLAGD_PORT, FLAGS_FILE, exampleFlagKey, flagdClientEnv, flagdContainer, flagsConfigMapName, flagsDocument, flagsVolume } from './flagd.js';
import { deployHandbook } from './handbook.js';
import { deployQuestions } from './questions.js';
import { NAMESPACE_METRIC_LABEL, POD_TEMPLATE_HASH_METRIC_LABEL } from '../../model/telemetry.js';
import {
  ANALYSIS_CONSECUTIVE_ERROR_LIMIT,
  ANALYSIS_COUNT,
  ANALYSIS_INCONCLUSIVE_LIMIT,
  ANALYSIS_MAX_BURN,
  analysisTemplate,
  analysisTiming,
  prometheusAddress,
  rollout,
  rolloutPatch,
  PREVIEW_SERVICE_FILE,
  analysisTemplateDeletePatch,
  RETIRED_CANARY_SERVICE_FILE,
  previewServiceName,
} from './rollout.js';

type Obj = Record<string, unknown>;

const file = (name: string, objects: () => Obj[], comments?: string[]): ManifestFile => ({ file: name, objects, owner: 'deploy', ...(comments ? { comments } : {}) });

/** Header of analysistemplate.yaml: what the gate measures, how it decides, and the way out. */
function analysisComments(model: Model, svc: Service): string[] {
  const t = analysisTiming(model);
  const exportSeconds = t.exportIntervalMs / 1000;
  const source = model.telemetry
    ? `Services export metrics every ${exportSeconds}s (OTEL_METRIC_EXPORT_INTERVAL); each window holds ${t.windowSeconds / exportSeconds} exports.`
    : `WARNING: without the observability practice the series need k8s_namespace_name and the pod's rollouts-pod-template-hash as labels, and the SDK default export interval (${exportSeconds}s) makes each window ${t.window}.`;
  return [
    `Rollout gate: per SLO, the NEW version (podTemplateHashValue Latest) against the STABLE one, in the Rollout's own namespace,`,
    `over ${t.window} windows, ${ANALYSIS_COUNT} times. A window fails when the new version's error ratio exceeds both ${ANALYSIS_MAX_BURN}x the error budget`,
    'and the stable version\'s ratio plus one budget (the query returns new ÷ allowed: <= 1 passes). Two failed windows abort the rollout;',
    `a window without requests to the new version is inconclusive, and a third such window pauses it (inconclusiveLimit ${ANALYSIS_INCONCLUSIVE_LIMIT}).`,
    `Prometheus unreachable or a query error: the measurement errors; more than ${ANALYSIS_CONSECUTIVE_ERROR_LIMIT} in a row error the run, which aborts the rollout.`,
    source,
    `Incident roll-forward (the fix must ship now): kubectl argo rollouts promote --full ${svc.name} -n <namespace> skips the remaining steps and analysis.`,
  ];
}

/** Swap the workload's Deployment for a Rollout with its second Service and SLO analysis. */
function useRollout(spec: Spec, model: Model, svc: Service, w: WorkloadModel): void {
  const canary = svc.deploy.strategy === 'canary';
  w.kind = 'Rollout';
  w.workloadFiles = [
    file('rollout.yaml', () => [rollout(spec, model, svc, w)], [
      canary
        ? `Canary (Argo Rollouts): 10% → 25% → 50% → 100%, each weight held ${analysisTiming(model).pause} then judged by the SLO analysis (new version vs stable).`
        : 'Blue/green (Argo Rollouts): the new version starts behind the preview Service; the switch is all at once. ' +
          'Post-promotion analysis judges the new version on real traffic and switches back while the old pods still run ' +
          '(no pre-promotion analysis: the preview pods get no traffic unless smoke tests send it).',
      'Without a traffic router, weights are approximated by pod counts (rounded up). No replicas: the HPA owns the count.',
      'Pod template: restricted Pod Security, read-only root with a writable /tmp, memory limit but no CPU limit (see deployment docs).',
    ]),
    ...(canary
      ? []
      : [file(PREVIEW_SERVICE_FILE, () => [w.serviceObject(previewServiceName(svc))], ['Argo Rollouts adds the rollouts-pod-template-hash selector to this Service and the main one.'])]),
    file('analysistemplate.yaml', () => [analysisTemplate(spec, model, svc)], analysisComments(model, svc)),
  ];
  for (const overlay of w.overlays) {
    const patch = rolloutPatch(svc, overlay.name);
    const patches = [
      ...(patch ? [file('patch-rollout.yaml', () => [patch])] : []),
      ...(overlay.name === 'preview'
        ? [file('patch-analysistemplate.yaml', () => [analysisTemplateDeletePatch(svc)], [
            'Previews run no analysis, and their AppProject refuses AnalysisTemplates (a provider runs in the Rollouts controller, outside the preview network policies).',
          ])]
        : []),
    ];
    overlay.patches.push(...patches);
    // Before issue 13's inline patches each had its own file in the overlay: sync deletes them when unedited.
    retireOverlayPatchFiles(model, overlay, patches);
  }
}

const PROVIDERS: Partial<Record<Language, { install: string; code: string; lang: string }>> = {
  node: {
    install: 'npm install @openfeature/server-sdk @openfeature/flagd-provider',
    lang: 'ts',
    code: [
      "import { OpenFeature } from '@openfeature/server-sdk';",
      "import { FlagdProvider } from '@openfeature/flagd-provider';",
      '',
      '// Reads FLAGD_HOST / FLAGD_PORT / FLAGD_RESOLVER from the environment.',
      'await OpenFeature.setProviderAndWait(new FlagdProvider());',
      'const client = OpenFeature.getClient();',
      "const on = await client.getBooleanValue('__FLAG_KEY__', false, { targetingKey: user.id });",
    ].join('\n'),
  },
  python: {
    install: 'pip install openfeature-sdk openfeature-provider-flagd',
    lang: 'python',
    code: [
      'from openfeature import api',
      'from openfeature.evaluation_context import EvaluationContext',
      'from openfeature.contrib.provider.flagd import FlagdProvider',
      '',
      '# Reads FLAGD_HOST / FLAGD_PORT / FLAGD_RESOLVER from the environment.',
      'api.set_provider(FlagdProvider())',
      'client = api.get_client()',
      'on = client.get_boolean_value("__FLAG_KEY__", False, EvaluationContext(targeting_key=user.id))',
    ].join('\n'),
  },
  go: {
    install: 'go get github.com/open-feature/go-sdk github.com/open-feature/go-sdk-contrib/providers/flagd',
    lang: 'go',
    code: [
      'import (',
      '\tflagd "github.com/open-feature/go-sdk-contrib/providers/flagd/pkg"',
      '\t"github.com/open-feature/go-sdk/openfeature"',
      ')',
      '',
      '// Reads FLAGD_HOST / FLAGD_PORT / FLAGD_RESOLVER from the environment.',
      'provider, err := flagd.NewProvider()',
      'if err != nil { return err }',
      'openfeature.SetProviderAndWait(provider)',
      'client := openfeature.NewClient("__SERVICE__")',
      'on, _ := client.BooleanValue(ctx, "__FLAG_KEY__", false, openfeature.NewEvaluationContext(user.ID, nil))',
    ].join('\n'),
  },
  java: {
    install: 'Maven: dev.openfeature:sdk and dev.openfeature.contrib.providers:flagd',
    lang: 'java',
    code: [
      'import dev.openfeature.sdk.*;',
      'import dev.openfeature.contrib.providers.flagd.FlagdProvider;',
      '',
      '// Reads FLAGD_HOST / FLAGD_PORT / FLAGD_RESOLVER from the environment.',
      'OpenFeatureAPI api = OpenFeatureAPI.getInstance();',
      'api.setProviderAndWait(new FlagdProvider());',
      'Client client = api.getClient();',
      'boolean on = client.getBooleanValue("__FLAG_KEY__", false, new ImmutableContext(user.getId()));',
    ].join('\n'),
  },
};

/**
 * flagd beside the app: the sidecar, a flag file per overlay (seeded, the team's; a ConfigMap in
 * that overlay only, so a flag change reaches one environment at a time and is promoted like an
 * image) and the provider's env.
 */
function useFeatureFlags(svc: Service, model: Model, w: WorkloadModel): void {
  w.env.push(() => flagdClientEnv());
  w.sidecars.push(flagdContainer());
  w.volumes.push(flagsVolume(svc));
  for (const overlay of w.overlays) {
    overlay.configMaps.push({ name: flagsConfigMapName(svc), file: FLAGS_FILE, source: `${FLAGS_FILE}=flags/${FLAGS_FILE}` });
    model.files.push({
      owner: 'deploy',
      path: `${overlay.dir}/flags/${FLAGS_FILE}`,
      template: 'deploy/flags.flagd.json.hbs',
      // Serialized here (JSON.stringify is the JSON quoting) so the team gets a readable file.
      data: { flagsJson: JSON.stringify(flagsDocument(svc), null, 2) },
      ownership: 'seeded',
      service: svc.name,
    });
  }
}

function featureFlagDocsData(spec: Spec, services: Service[], workloadOf: (svc: Service) => WorkloadModel): Record<string, unknown> {
  return {
    dir: spec.gitops.dir,
    flagdImage: FLAGD_IMAGE,
    flagdPort: FLAGD_PORT,
    flagsFile: FLAGS_FILE,
    services: services.map((svc) => {
      const p = PROVIDERS[svc.language] ?? {
        install: `# flagd provider for ${svc.language}: see https://openfeature.dev/ecosystem (providers: flagd)`,
        lang: 'text',
        code: 'Register the flagd provider with your OpenFeature SDK; it reads FLAGD_HOST, FLAGD_PORT and FLAGD_RESOLVER from the environment.',
      };
      const overlays = workloadOf(svc).overlays;
      return {
        name: svc.name,
        files: overlays.map((o) => ({ overlay: o.name, file: `${o.dir}/flags/${FLAGS_FILE}` })),
        flag: exampleFlagKey(svc),
        language: svc.language,
        install: p.install,
        lang: p.lang,
        // Code samples are ours; only the (schema-safe) names are substituted.
        code: p.code.replaceAll('__FLAG_KEY__', exampleFlagKey(svc)).replaceAll('__SERVICE__', svc.name),
      };
    }),
  };
}

/**
 * Deployment strategies: canary and blue/green services get an Argo Rollout (replacing
 * gitops' Deployment) with SLO analysis; services with feature flags get flagd beside them.
 */
function contribute(spec: Spec, model: Model): void {
  const flagged: Service[] = [];
  const workloads = new Map<string, WorkloadModel>();
  for (const w of model.workloads) {
    const svc = model.services.find((s) => s.name === w.service)!.spec;
    workloads.set(svc.name, w);
    if (svc.deploy.strategy !== 'rolling') useRollout(spec, model, svc, w);
    // Before the canary dropped its second Service (it starved the canary of traffic): sync deletes it when unedited.
    if (svc.deploy.strategy === 'canary') model.retiredPaths = [...(model.retiredPaths ?? []), `${w.dir}/base/${RETIRED_CANARY_SERVICE_FILE}`];
    if (svc.deploy.featureFlags) {
      useFeatureFlags(svc, model, w);
      flagged.push(svc);
    }
  }
  if (flagged.length > 0) {
    model.files.push({ owner: 'deploy', path: 'docs/feature-flags.md', template: 'deploy/feature-flags.md.hbs', data: featureFlagDocsData(spec, flagged, (s) => workloads.get(s.name)!), ownership: 'managed' });
  }
  const analysed = model.workloads.filter((w) => w.kind === 'Rollout').map((w) => w.service);
  if (analysed.length > 0 && !model.telemetry) {
    const metric = `${spec.services.find((x) => analysed.includes(x.name))!.metrics.requestDuration}_count`;
    model.warnings.push({
      owner: 'deploy',
      text:
        `${analysed.join(', ')} use${analysed.length === 1 ? 's' : ''} rollout analysis, which queries Prometheus at ${prometheusAddress(spec)} for ` +
        `${metric} with the labels ${NAMESPACE_METRIC_LABEL} and ${POD_TEMPLATE_HASH_METRIC_LABEL}; without the observability practice nothing here ` +
        'deploys that Prometheus or adds those labels. If nothing answers at that address, every measurement errors; once more than ' +
        `${ANALYSIS_CONSECUTIVE_ERROR_LIMIT} in a row have errored (consecutiveErrorLimit) the AnalysisRun errors and Argo Rollouts aborts the rollout. ` +
        'If Prometheus answers but has no such series, each measurement is inconclusive; once more than ' +
        `${ANALYSIS_INCONCLUSIVE_LIMIT} are (inconclusiveLimit) the rollout pauses until someone runs \`kubectl argo rollouts promote\`. ` +
        'Run `devops-init add observability`, or point the AnalysisTemplate at a Prometheus whose series carry those labels.',
    });
  }
}

export const deployPractice: Practice = {
  id: 'deploy',
  title: 'Deployment strategies (Argo Rollouts, OpenFeature)',
  handbook: deployHandbook,
  config: deployConfig,
  questions: deployQuestions,
  contribute,
};
