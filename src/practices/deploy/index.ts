import type { Language, Service, Spec } from '../../spec/types.js';
import type { FileSpec, Practice } from '../types.js';
import { objectsFile } from '../gitops/index.js';
import { ENVIRONMENTS, flagsOn, overlayDir, serviceDir, strategyOf, usesRollout, type OverlayName } from '../gitops/model.js';
import { FLAGD_IMAGE, FLAGD_PORT, FLAGS_FILE, exampleFlagKey, flagsDocument } from './flagd.js';
import { deployHandbook } from './handbook.js';
import { deployQuestions } from './questions.js';
import { analysisFiltersEnvironment, analysisTemplate, rollout, rolloutPatch, strategyService, strategyServiceFile } from './rollout.js';

/** Header of analysistemplate.yaml: what the gate measures, and what it cannot tell apart. */
function analysisComments(spec: Spec, svc: Service): string[] {
  const scope = analysisFiltersEnvironment(spec, svc)
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

function rolloutFiles(spec: Spec, svc: Service): FileSpec[] {
  const base = `${serviceDir(spec, svc)}/base`;
  const canary = strategyOf(spec, svc) === 'canary';
  const files: FileSpec[] = [
    objectsFile(`${base}/rollout.yaml`, [rollout(spec, svc)], [
      canary
        ? 'Canary (Argo Rollouts): 10% → 25% → 50% → 100%, each weight held 2 minutes then judged by the SLO analysis.'
        : 'Blue/green (Argo Rollouts): the new version starts behind the preview Service; the switch is all at once. ' +
          'Pre-promotion analysis is a "the environment is healthy now" gate (preview pods get no user traffic); ' +
          'post-promotion analysis judges the new version on real traffic and switches back while the old pods still run.',
      'Without a traffic router, weights are approximated by pod counts (rounded up). No replicas: the HPA owns the count.',
      'Pod template: restricted Pod Security, read-only root with a writable /tmp, memory limit but no CPU limit (see deployment docs).',
    ]),
    objectsFile(`${base}/${strategyServiceFile(spec, svc)}`, [strategyService(spec, svc)], [
      'Argo Rollouts adds the rollouts-pod-template-hash selector to this Service and the main one.',
    ]),
    objectsFile(`${base}/analysistemplate.yaml`, [analysisTemplate(spec, svc)], analysisComments(spec, svc)),
  ];
  const overlays: OverlayName[] = [...ENVIRONMENTS, ...(spec.gitops.previews ? (['preview'] as const) : [])];
  for (const overlay of overlays) {
    const patch = rolloutPatch(spec, svc, overlay);
    if (patch) files.push(objectsFile(`${overlayDir(spec, svc, overlay)}/patch-rollout.yaml`, [patch]));
  }
  return files;
}

const PROVIDERS: Record<Language, { install: string; code: string; lang: string }> = {
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

function featureFlagDocsData(spec: Spec): Record<string, unknown> {
  const services = spec.services.filter((s) => flagsOn(spec, s));
  return {
    flagdImage: FLAGD_IMAGE,
    flagdPort: FLAGD_PORT,
    services: services.map((svc) => {
      const p = PROVIDERS[svc.language];
      return {
        name: svc.name,
        file: `${serviceDir(spec, svc)}/base/flags/${FLAGS_FILE}`,
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

export const deployPractice: Practice = {
  warnings(spec: Spec): string[] {
    const analysed = spec.services.filter((svc) => svc.deploy.strategy !== 'rolling').map((svc) => svc.name);
    const missing = (['observability', 'monitoring'] as const).filter((p) => !spec.practices.includes(p));
    if (analysed.length === 0 || missing.length === 0) return [];
    return [
      `${analysed.join(', ')} use${analysed.length === 1 ? 's' : ''} SLO analysis, which reads request metrics from Prometheus; ` +
        `without ${missing.join(' and ')} nothing here provides them, so each analysis stays inconclusive and the rollout pauses. ` +
        `Run \`devops-init add ${missing.join(' ')}\`, or point the AnalysisTemplate at your own Prometheus.`,
    ];
  },
  id: 'deploy',
  title: 'Deployment strategies (Argo Rollouts, OpenFeature)',
  handbook: deployHandbook,
  requires: ['gitops'],
  questions: deployQuestions,
  files(spec: Spec): FileSpec[] {
    const files: FileSpec[] = [];
    for (const svc of spec.services) {
      if (usesRollout(spec, svc)) files.push(...rolloutFiles(spec, svc));
      if (flagsOn(spec, svc)) {
        files.push({
          path: `${serviceDir(spec, svc)}/base/flags/${FLAGS_FILE}`,
          template: 'deploy/flags.flagd.json.hbs',
          // Serialized here (JSON.stringify is the JSON quoting) so the team gets a readable file.
          data: { flagsJson: JSON.stringify(flagsDocument(svc), null, 2) },
          ownership: 'seeded',
        });
      }
    }
    if (spec.services.some((s) => flagsOn(spec, s))) {
      files.push({ path: 'docs/feature-flags.md', template: 'deploy/feature-flags.md.hbs', data: featureFlagDocsData(spec), ownership: 'managed' });
    }
    return files;
  },
};
