import { ENVIRONMENT_LABEL, selectorLabels, serviceLabels } from '../../model/labels.js';
import { ENVIRONMENT_METRIC_LABEL, inEnvironment, successRatioQuery } from '../../model/promql.js';
import type { Model, OverlayName, WorkloadModel } from '../../model/types.js';
import type { Service, Slo, Spec } from '../../spec/types.js';

/**
 * Argo Rollouts objects for the canary and blue/green strategies. A plain Rollout
 * (with its own pod template) replaces the Deployment; the HPA targets it.
 */

type Obj = Record<string, unknown>;

export const ANALYSIS_INTERVAL = '1m';
export const ANALYSIS_COUNT = 5;
/** Rate window of the analysis queries: two scrapes' worth at any usual interval. */
export const ANALYSIS_WINDOW = '2m';
export const CANARY_WEIGHTS = [10, 25, 50] as const;
/**
 * Blue/green keeps the previous ReplicaSet this long after the switch: an abort inside
 * the window flips traffic back instantly, with no cold start. It covers the
 * post-promotion analysis (count × interval = 5 min).
 */
export const SCALE_DOWN_DELAY_SECONDS = 600;

export const analysisTemplateName = (svc: Service): string => `${svc.name}-slo`;
export const canaryServiceName = (svc: Service): string => `${svc.name}-canary`;
export const previewServiceName = (svc: Service): string => `${svc.name}-preview`;

/**
 * Where each analysis reads its environment: the Rollout's own environment label, which
 * every overlay sets (Argo Rollouts resolves `fieldRef` against the Rollout's metadata when
 * it creates the AnalysisRun). One base serves every overlay, with no per-overlay patch.
 */
export const ENVIRONMENT_FIELD_PATH = `metadata.labels['${ENVIRONMENT_LABEL}']`;

/**
 * Whether the analysis can tell environments apart: only when the service's series carry
 * the environment label. Without it, a staging rollout is judged on every environment's
 * traffic (mostly production's) and the reverse; the template's header says so.
 */
export function analysisFiltersEnvironment(model: Model, svc: Service): boolean {
  return model.telemetry !== undefined || Object.hasOwn(svc.metrics.selector ?? {}, ENVIRONMENT_METRIC_LABEL);
}

/** Prometheus as the prometheus-operator exposes every instance (its headless Service). */
export function prometheusAddress(spec: Spec): string {
  return `http://prometheus-operated.${spec.monitoring.namespace}.svc:9090`;
}

/** An SLO objective (99.9) as the ratio the query returns (0.999). */
export function objectiveRatio(slo: Slo): number {
  return Number((slo.objective / 100).toFixed(6));
}

/**
 * One metric per SLO of the service: the success ratio (non-5xx, or under the latency
 * threshold) over the last 2 minutes must reach the SLO objective.
 *
 * No traffic is handled on purpose: no samples (the error ratio has no sample while there is no traffic) meets neither the success
 * nor the failure condition, so the measurement is Inconclusive and the rollout
 * pauses for a person to decide (promote or abort). "Nobody called it" is not
 * evidence that the new version works, and it is not a reason to roll back either.
 */
export function analysisTemplate(spec: Spec, model: Model, svc: Service): Obj {
  // The query selects the service by the `service` argument, so the same template can
  // judge another label value (for example a smoke-test target), and the environment by
  // the `environment` argument: the Rollout passes its own, so staging is judged on
  // staging's traffic only. An environment matcher in metrics.selector (the SLOs'
  // production filter) gives way to the argument; other matchers stay.
  const named: Service = { ...svc, name: '{{args.service}}' };
  const argSvc = analysisFiltersEnvironment(model, svc) ? inEnvironment(named, '{{args.environment}}') : named;
  const measured = 'len(result) > 0 && !isNaN(result[0])';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: analysisTemplateName(svc), labels: serviceLabels(spec.project.name, svc.name) },
    spec: {
      // `environment` is declared even when the queries cannot filter on it: the
      // AnalysisRun then still records which environment it judged.
      args: [{ name: 'service' }, { name: 'environment' }],
      metrics: svc.slos.map((slo) => ({
        name: slo.name,
        interval: ANALYSIS_INTERVAL,
        count: ANALYSIS_COUNT,
        // One bad minute is tolerated (a deploy blip); the second fails the run and aborts.
        failureLimit: 1,
        successCondition: `${measured} && result[0] >= ${objectiveRatio(slo)}`,
        failureCondition: `${measured} && result[0] < ${objectiveRatio(slo)}`,
        provider: {
          prometheus: {
            address: prometheusAddress(spec),
            query: successRatioQuery(argSvc, slo, ANALYSIS_WINDOW),
          },
        },
      })),
    },
  };
}

function analysisRef(svc: Service): Obj {
  return {
    templates: [{ templateName: analysisTemplateName(svc) }],
    args: [
      { name: 'service', value: svc.name },
      { name: 'environment', valueFrom: { fieldRef: { fieldPath: ENVIRONMENT_FIELD_PATH } } },
    ],
  };
}

/**
 * Canary without a traffic router: weights are approximated by pod counts (rounded
 * up), so with few replicas the first step is larger than 10%. Each weight is held
 * for two minutes, then the SLO analysis runs five one-minute measurements; a failed
 * analysis aborts the rollout back to the stable ReplicaSet. After the last step the
 * rollout goes to 100% by itself.
 */
function canaryStrategy(svc: Service): Obj {
  const steps: Obj[] = [];
  for (const weight of CANARY_WEIGHTS) {
    steps.push({ setWeight: weight }, { pause: { duration: '2m' } }, { analysis: analysisRef(svc) });
  }
  steps.push({ setWeight: 100 });
  return {
    canary: {
      stableService: svc.name,
      canaryService: canaryServiceName(svc),
      maxSurge: '25%',
      maxUnavailable: 0,
      steps,
    },
  };
}

/**
 * Blue/green: the new version starts behind the preview Service. Auto-promotion is off
 * here (production); the staging overlay turns it on.
 *
 * Pre-promotion: the preview pods get no user traffic (nothing routes to the preview
 * Service but people testing it), and the query selects the service and environment,
 * not a ReplicaSet. So before the switch the analysis measures the version serving this
 * environment now: a "the service is healthy" gate, so we never cut over in the middle
 * of an incident, which is still worth having. The environment filter matters here too: a
 * staging incident must not block a production switch, nor the reverse. Judging the new
 * version before the switch would need traffic sent to the preview and per-ReplicaSet
 * series, which the OpenTelemetry metrics do not carry.
 *
 * Post-promotion: the same analysis judges the new version on this environment's real
 * traffic, and a failure switches back while the old pods still run.
 */
function blueGreenStrategy(svc: Service): Obj {
  return {
    blueGreen: {
      activeService: svc.name,
      previewService: previewServiceName(svc),
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: SCALE_DOWN_DELAY_SECONDS,
      prePromotionAnalysis: analysisRef(svc),
      postPromotionAnalysis: analysisRef(svc),
    },
  };
}

export function rollout(spec: Spec, svc: Service, w: WorkloadModel): Obj {
  const strategy = svc.deploy.strategy === 'canary' ? canaryStrategy(svc) : blueGreenStrategy(svc);
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

/** The second Service the strategy needs (Argo Rollouts adds the hash selector to both). */
export function strategyServiceName(svc: Service): string {
  return svc.deploy.strategy === 'canary' ? canaryServiceName(svc) : previewServiceName(svc);
}

export function strategyServiceFile(svc: Service): string {
  return svc.deploy.strategy === 'canary' ? 'service-canary.yaml' : 'service-preview.yaml';
}

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
        ? { blueGreen: { autoPromotionEnabled: true, prePromotionAnalysis: null, postPromotionAnalysis: null, scaleDownDelaySeconds: 30 } }
        : { blueGreen: { autoPromotionEnabled: overlay === 'staging' } };
  } else if (strategy === 'canary' && overlay === 'preview') {
    body = { canary: { steps: [] } };
  }
  if (!body) return undefined;
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: svc.name }, spec: { strategy: body } };
}
