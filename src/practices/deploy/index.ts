import type { ManifestFile, Model, WorkloadModel } from '../../model/types.js';
import type { Language, Service, Spec } from '../../spec/types.js';
import { deployConfig } from './config.js';
import type { Practice } from '../types.js';
import { FLAGD_IMAGE, FLAGD_PORT, FLAGS_FILE, exampleFlagKey, flagdClientEnv, flagdContainer, flagsConfigMapName, flagsDocument, flagsVolume } from './flagd.js';
import { deployHandbook } from './handbook.js';
import { deployQuestions } from './questions.js';
import { analysisFiltersEnvironment, analysisTemplate, rollout, rolloutPatch, strategyServiceFile, strategyServiceName } from './rollout.js';

type Obj = Record<string, unknown>;

const file = (name: string, objects: () => Obj[], comments?: string[]): ManifestFile => ({ file: name, objects, owner: 'deploy', ...(comments ? { comments } : {}) });

/** Header of analysistemplate.yaml: what the gate measures, and what it cannot tell apart. */
function analysisComments(model: Model, svc: Service): string[] {
  const scope = analysisFiltersEnvironment(model, svc)
    ? [
        'Each Rollout passes its own environment label (app.kubernetes.io/environment) as the `environment` argument,',
        'and the queries keep only that environment\'s series (deployment_environment_name, from OpenTelemetry).',
        'A quiet environment (staging with no traffic) is Inconclusive every time: the rollout waits for',
        '`kubectl argo rollouts promote`; send it synthetic traffic to keep it hands-off.',
      ]
    : [
        'WARNING: the metrics carry no environment label (enable the observability practice, or give',
        'metrics.selector a deployment_environment_name matcher), so the queries see every environment\'s traffic:',
        'a staging rollout is judged mostly on production\'s, and the reverse. The `environment` argument is',
        'passed but unused until then.',
      ];
  return [
    'SLO gate: each SLO\'s success ratio must reach its objective. No traffic (no sample or NaN) is Inconclusive,',
    'which pauses the rollout for a person to promote or abort; two failed minutes abort it.',
    'Without a mesh the series mix stable and new pods, so a regression shows diluted by the traffic share.',
    ...scope,
  ];
}

/** Swap the workload's Deployment for a Rollout with its second Service and SLO analysis. */
function useRollout(spec: Spec, model: Model, svc: Service, w: WorkloadModel): void {
  const canary = svc.deploy.strategy === 'canary';
  w.kind = 'Rollout';
  w.workloadFiles = [
    file('rollout.yaml', () => [rollout(spec, svc, w)], [
      canary
        ? 'Canary (Argo Rollouts): 10% → 25% → 50% → 100%, each weight held 2 minutes then judged by the SLO analysis.'
        : 'Blue/green (Argo Rollouts): the new version starts behind the preview Service; the switch is all at once. ' +
          'Pre-promotion analysis is a "the environment is healthy now" gate (preview pods get no user traffic); ' +
          'post-promotion analysis judges the new version on real traffic and switches back while the old pods still run.',
      'Without a traffic router, weights are approximated by pod counts (rounded up). No replicas: the HPA owns the count.',
      'Pod template: restricted Pod Security, read-only root with a writable /tmp, memory limit but no CPU limit (see deployment docs).',
    ]),
    file(strategyServiceFile(svc), () => [w.serviceObject(strategyServiceName(svc))], [
      'Argo Rollouts adds the rollouts-pod-template-hash selector to this Service and the main one.',
    ]),
    file('analysistemplate.yaml', () => [analysisTemplate(spec, model, svc)], analysisComments(model, svc)),
  ];
  for (const overlay of w.overlays) {
    const patch = rolloutPatch(svc, overlay.name);
    if (patch) overlay.patches.push(file('patch-rollout.yaml', () => [patch]));
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

/** flagd beside the app: the sidecar, its ConfigMap-backed flag file (seeded, the team's) and the provider's env. */
function useFeatureFlags(spec: Spec, model: Model, svc: Service, w: WorkloadModel): void {
  w.env.push(() => flagdClientEnv());
  w.sidecars.push(flagdContainer());
  w.volumes.push(flagsVolume(svc));
  w.configMaps.push({ name: flagsConfigMapName(svc), file: FLAGS_FILE, source: `${FLAGS_FILE}=flags/${FLAGS_FILE}`, labels: {} });
  model.files.push({
    owner: 'deploy',
    path: `${w.dir}/base/flags/${FLAGS_FILE}`,
    template: 'deploy/flags.flagd.json.hbs',
    // Serialized here (JSON.stringify is the JSON quoting) so the team gets a readable file.
    data: { flagsJson: JSON.stringify(flagsDocument(svc), null, 2) },
    ownership: 'seeded',
  });
  void spec;
}

function featureFlagDocsData(services: Service[], dirOf: (svc: Service) => string): Record<string, unknown> {
  return {
    flagdImage: FLAGD_IMAGE,
    flagdPort: FLAGD_PORT,
    services: services.map((svc) => {
      const p = PROVIDERS[svc.language] ?? {
        install: `# flagd provider for ${svc.language}: see https://openfeature.dev/ecosystem (providers: flagd)`,
        lang: 'text',
        code: 'Register the flagd provider with your OpenFeature SDK; it reads FLAGD_HOST, FLAGD_PORT and FLAGD_RESOLVER from the environment.',
      };
      return {
        name: svc.name,
        file: `${dirOf(svc)}/base/flags/${FLAGS_FILE}`,
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
  const dirs = new Map<string, string>();
  for (const w of model.workloads) {
    const svc = model.services.find((s) => s.name === w.service)!.spec;
    dirs.set(svc.name, w.dir);
    if (svc.deploy.strategy !== 'rolling') useRollout(spec, model, svc, w);
    if (svc.deploy.featureFlags) {
      useFeatureFlags(spec, model, svc, w);
      flagged.push(svc);
    }
  }
  if (flagged.length > 0) {
    model.files.push({ owner: 'deploy', path: 'docs/feature-flags.md', template: 'deploy/feature-flags.md.hbs', data: featureFlagDocsData(flagged, (s) => dirs.get(s.name)!), ownership: 'managed' });
  }
  const analysed = model.workloads.filter((w) => w.kind === 'Rollout').map((w) => w.service);
  const missing = [...(model.telemetry ? [] : ['observability']), ...(model.alerting ? [] : ['monitoring'])];
  if (analysed.length > 0 && missing.length > 0) {
    model.warnings.push({
      owner: 'deploy',
      text:
        `${analysed.join(', ')} use${analysed.length === 1 ? 's' : ''} SLO analysis, which reads request metrics from Prometheus; ` +
        `without ${missing.join(' and ')} nothing here provides them, so each analysis stays inconclusive and the rollout pauses. ` +
        `Run \`devops-init add ${missing.join(' ')}\`, or point the AnalysisTemplate at your own Prometheus.`,
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
