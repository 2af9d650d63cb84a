import { serviceLabels, selectorLabels } from '../../model/labels.js';
import { ENVIRONMENT_METRIC_LABEL, errorRatioQuery, withMatchers } from '../../model/promql.js';
import {
  NAMESPACE_METRIC_LABEL,
  POD_TEMPLATE_HASH_METRIC_LABEL,
  SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS,
  analysisWindowSeconds,
  duration,
} from '../../model/telemetry.js';
import type { Model, OverlayName, WorkloadModel } from '../../model/types.js';
import type { Service, Slo, Spec } from '../../spec/types.js';

/**
 * Argo Rollouts objects for the canary and blue/green strategies. A plain Rollout
 * (with its own pod template) replaces the Deployment; the HPA targets it.
 */

type Obj = Record<string, unknown>;

/** Measurements per analysis run (one per window, windows back to back). */
export const ANALYSIS_COUNT = 5;
/** Two bad windows out of five fail the run (one is tolerated: a deploy blip). */
export const ANALYSIS_FAILURE_LIMIT = 1;
/**
 * Two quiet windows (no request reached the new version) are tolerated; a third makes the run
 * Inconclusive, which pauses the rollout for a person (Argo Rollouts ends a metric as soon as
 * inconclusive measurements exceed the limit: analysis/analysis.go, assessMetricFailureInconclusiveOrError).
 */
export const ANALYSIS_INCONCLUSIVE_LIMIT = 2;
/**
 * Argo Rollouts' own default, written out so the docs and the warning can name it: more than 4
 * consecutive measurement errors (Prometheus unreachable, a query error) end the metric as Error,
 * and an Errored run aborts the rollout like a Failed one (rollout/analysis.go).
 */
export const ANALYSIS_CONSECUTIVE_ERROR_LIMIT = 4;
/**
 * The new version fails a window when its error ratio exceeds BOTH this many times the error
 * budget (a margin below the objective: 5 × 0.1% = 0.5% errors, i.e. 99.5% success, for a 99.9%
 * SLO) AND the stable version's own error ratio plus one budget. Why 5: a version running exactly
 * at its objective must not fail by chance. With 1 000 requests in a window at 0.1% errors, 0.2%
 * (2 × budget) is exceeded by chance in about 8% of windows, and then two bad windows out of five
 * in about 6% of runs; 0.5% needs 6 errors where 1 is expected (p < 0.001). Under ~200 requests a
 * window a single error still fails it: give low-traffic services synthetic traffic.
 */
export const ANALYSIS_MAX_BURN = 5;
export const CANARY_WEIGHTS = [10, 25, 50] as const;

export const analysisTemplateName = (svc: Service): string => `${svc.name}-slo`;
export const previewServiceName = (svc: Service): string => `${svc.name}-preview`;

/** Argument names of the AnalysisTemplate, and where each Rollout gets them. */
export const ARGS = { service: 'service', namespace: 'namespace', canaryHash: 'canary-hash', stableHash: 'stable-hash' } as const;
const arg = (name: string): string => `{{args.${name}}}`;

/**
 * The analysis schedule, all derived from the metric export interval (one number, in
 * src/model/telemetry.ts): the rate window holds four exports, measurements are one window
 * apart (so no two share data), and a canary weight is held two windows before the first
 * measurement so the new pods' first window is full.
 */
export interface AnalysisTiming {
  exportIntervalMs: number;
  windowSeconds: number;
  window: string;
  interval: string;
  pause: string;
  /** Blue/green keeps the old pods at least this long: the whole post-promotion analysis, plus margin. */
  scaleDownDelaySeconds: number;
}

export function analysisTiming(model: Model): AnalysisTiming {
  const exportIntervalMs = model.telemetry?.metricExportIntervalMs ?? SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS;
  const windowSeconds = analysisWindowSeconds(exportIntervalMs);
  return {
    exportIntervalMs,
    windowSeconds,
    window: duration(windowSeconds),
    interval: duration(windowSeconds),
    pause: duration(2 * windowSeconds),
    // An abort inside the delay flips traffic back instantly, with no cold start; Argo Rollouts
    // cancels post-promotion analysis still running when the delay ends, so it must cover it.
    scaleDownDelaySeconds: Math.max(600, (ANALYSIS_COUNT + 2) * windowSeconds),
  };
}

/** Prometheus as the prometheus-operator exposes every instance (its headless Service). */
export function prometheusAddress(spec: Spec): string {
  return `http://prometheus-operated.${spec.monitoring.namespace}.svc:9090`;
}

/** An SLO's error budget as a ratio (99.9 → 0.001). */
export function errorBudget(slo: Slo): number {
  return Number((1 - slo.objective / 100).toFixed(10));
}

/** The error ratio the new version may reach when the stable version is healthy (ANALYSIS_MAX_BURN × budget). */
export function maxErrorRatio(slo: Slo): number {
  return Number((ANALYSIS_MAX_BURN * errorBudget(slo)).toFixed(10));
}

/**
 * The service's series of one ReplicaSet in the Rollout's own namespace. Both labels are derived
 * by the collector from the pod that sent the data (observability: client-sent k8s.* attributes
 * are dropped, the pod is found by the connection's address), so no workload elsewhere, a
 * preview included, can put series into this selection. An environment matcher in
 * metrics.selector (the SLOs' production filter) gives way to the namespace; other matchers stay.
 */
function replicaSetSeries(svc: Service, hashArg: string): Service {
  const named: Service = { ...svc, name: arg(ARGS.service) };
  return withMatchers(
    named,
    { [NAMESPACE_METRIC_LABEL]: arg(ARGS.namespace), [POD_TEMPLATE_HASH_METRIC_LABEL]: arg(hashArg) },
    [ENVIRONMENT_METRIC_LABEL],
  );
}

const indent = (text: string, by: string): string => text.split('\n').map((l) => `${by}${l}`).join('\n');

/**
 * One window's verdict on the new version, as a single number: its error ratio divided by what
 * it is allowed, `max(MAX_BURN × budget, stable's error ratio + budget)`; at most 1 passes.
 * - The new version is compared with the stable one (podTemplateHashValue Latest vs Stable), so
 *   an incident in the current version does not block the fix: the fix passes as long as it is
 *   no worse than what runs now.
 * - No request to the new version in the window: no sample at all, so the measurement is
 *   Inconclusive (neither condition matches an empty result).
 * - No traffic on the stable version (blue/green after the switch): the absolute allowance alone.
 */
export function verdictQuery(svc: Service, slo: Slo, window: string): string {
  const canary = errorRatioQuery(replicaSetSeries(svc, ARGS.canaryHash), slo, window);
  const stable = errorRatioQuery(replicaSetSeries(svc, ARGS.stableHash), slo, window);
  const allowance = [
    '(',
    '  clamp_min(',
    '    (',
    indent(stable, '      '),
    `    ) + ${errorBudget(slo)},`,
    `    ${maxErrorRatio(slo)}`,
    '  )',
    '  or',
    `  vector(${maxErrorRatio(slo)})`,
    ')',
  ].join('\n');
  return ['(', indent(canary, '  '), ')', '/', allowance].join('\n');
}

/**
 * One metric per SLO of the service, judging the new version against the stable one (see
 * verdictQuery) every window, five times. Two failed windows fail the run, which aborts the
 * rollout; a third quiet window makes it Inconclusive, which pauses it.
 */
export function analysisTemplate(spec: Spec, model: Model, svc: Service): Obj {
  const t = analysisTiming(model);
  const measured = 'len(result) > 0 && !isNaN(result[0])';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: analysisTemplateName(svc), labels: serviceLabels(spec.project.name, svc.name) },
    spec: {
      args: [{ name: ARGS.service }, { name: ARGS.namespace }, { name: ARGS.canaryHash }, { name: ARGS.stableHash }],
      metrics: svc.slos.map((slo) => ({
        name: slo.name,
        interval: t.interval,
        count: ANALYSIS_COUNT,
        failureLimit: ANALYSIS_FAILURE_LIMIT,
        inconclusiveLimit: ANALYSIS_INCONCLUSIVE_LIMIT,
        consecutiveErrorLimit: ANALYSIS_CONSECUTIVE_ERROR_LIMIT,
        successCondition: `${measured} && result[0] <= 1`,
        failureCondition: `${measured} && result[0] > 1`,
        provider: {
          prometheus: {
            address: prometheusAddress(spec),
            query: verdictQuery(svc, slo, t.window),
          },
        },
      })),
    },
  };
}

/**
 * The arguments every analysis of the Rollout passes: its service, its own namespace (Argo
 * Rollouts resolves `metadata.*` field paths against the Rollout: utils/analysis/factory.go), the
 * new ReplicaSet's pod-template hash (Latest: the canary, or blue/green's preview pods) and the
 * stable one's.
 */
function analysisRef(svc: Service): Obj {
  return {
    templates: [{ templateName: analysisTemplateName(svc) }],
    args: [
      { name: ARGS.service, value: svc.name },
      { name: ARGS.namespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: ARGS.canaryHash, valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: ARGS.stableHash, valueFrom: { podTemplateHashValue: 'Stable' } },
    ],
  };
}

/**
 * Canary without a traffic router: weights are approximated by pod counts (rounded up), so
 * with few replicas the first step is larger than 10%. The service's one Service keeps
 * selecting every pod, old and new, so clients reach the canary in proportion to its pods. No
 * stableService/canaryService: without a traffic router Argo Rollouts would add the stable
 * pod-template hash to the stableService's selector, and clients of that Service would never
 * reach the canary (argo-rollouts docs/features/canary.md; issue #2781). The analysis tells the
 * versions apart by the pod-template hash on their metrics, not by Service. Each weight is held
 * for two analysis windows, then the analysis runs five window-long measurements; a failed
 * analysis aborts the rollout back to the stable ReplicaSet. After the last step the rollout
 * goes to 100% by itself.
 */
function canaryStrategy(svc: Service, t: AnalysisTiming): Obj {
  const steps: Obj[] = [];
  for (const weight of CANARY_WEIGHTS) {
    steps.push({ setWeight: weight }, { pause: { duration: t.pause } }, { analysis: analysisRef(svc) });
  }
  steps.push({ setWeight: 100 });
  return { canary: { maxSurge: '25%', maxUnavailable: 0, steps } };
}

/**
 * Blue/green: the new version starts behind the preview Service (for smoke tests a team runs
 * against it); the switch is all at once. Auto-promotion is off here (production); the staging
 * overlay turns it on.
 *
 * No pre-promotion analysis: the preview pods get no traffic unless someone sends it, so every
 * window would be inconclusive and the rollout would pause (in staging it would never promote
 * by itself). Post-promotion, the analysis judges the new version on this environment's real
 * traffic (the old pods get none after the switch, so the absolute allowance applies), and a
 * failure switches back while the old pods still run (scaleDownDelaySeconds). A team with
 * smoke tests against the preview Service adds `prePromotionAnalysis` in an overlay patch.
 */
function blueGreenStrategy(svc: Service, t: AnalysisTiming): Obj {
  return {
    blueGreen: {
      activeService: svc.name,
      previewService: previewServiceName(svc),
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: t.scaleDownDelaySeconds,
      postPromotionAnalysis: analysisRef(svc),
    },
  };
}

export function rollout(spec: Spec, model: Model, svc: Service, w: WorkloadModel): Obj {
  const t = analysisTiming(model);
  const strategy = svc.deploy.strategy === 'canary' ? canaryStrategy(svc, t) : blueGreenStrategy(svc, t);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: svc.name, labels: serviceLabels(spec.project.name, svc.name) },
    spec: {
      // No `replicas`: the HPA owns the count.
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(svc.name) },
      // New pods that never become ready within 10 minutes abort the rollout.
      progressDeadlineSeconds: 600,
      progressDeadlineAbort: true,
      template: w.podTemplate(),
      strategy,
    },
  };
}

/** Blue/green's preview Service (Argo Rollouts adds the hash selector to it and the active one). */
export const PREVIEW_SERVICE_FILE = 'service-preview.yaml';
/** Canary's second Service, generated before it was dropped (see canaryStrategy): sync deletes it when unedited. */
export const RETIRED_CANARY_SERVICE_FILE = 'service-canary.yaml';

/**
 * Per-overlay Rollout patch, or undefined when the overlay keeps the base strategy.
 * - blue/green: auto-promotion on in staging, off in production (a person promotes);
 * - previews: no steps, no analysis — a preview has no traffic to judge and must not stall.
 */
export function rolloutPatch(svc: Service, overlay: OverlayName): Obj | undefined {
  const strategy = svc.deploy.strategy;
  let body: Obj | undefined;
  if (strategy === 'bluegreen') {
    body =
      overlay === 'preview'
        ? { blueGreen: { autoPromotionEnabled: true, postPromotionAnalysis: null, scaleDownDelaySeconds: 30 } }
        : { blueGreen: { autoPromotionEnabled: overlay === 'staging' } };
  } else if (strategy === 'canary' && overlay === 'preview') {
    body = { canary: { steps: [] } };
  }
  if (!body) return undefined;
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: svc.name }, spec: { strategy: body } };
}

/**
 * The preview overlay drops the AnalysisTemplate: previews run no analysis, and the previews
 * AppProject does not allow the kind, because an analysis provider runs in the Rollouts
 * controller (a `web` provider sends any request from there), outside the preview's network
 * policies. A `$patch: delete` strategic-merge patch removes it from the build.
 */
export function analysisTemplateDeletePatch(svc: Service): Obj {
  return { $patch: 'delete', apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: analysisTemplateName(svc) } };
}
