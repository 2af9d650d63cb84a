import { DEFAULT_LATENCY_THRESHOLD_MS } from './config.js';
import type { Spec } from '../../spec/types.js';
import type { Question, SpecEdit } from '../types.js';

/** Rewrite every service's SLOs of one kind; whole lists, so defaults left implicit in devops.yaml still apply. */
function editSlos(spec: Spec, kind: 'availability' | 'latency', change: (slo: Spec['services'][number]['slos'][number]) => void): SpecEdit[] {
  return spec.services.flatMap((svc, i) => {
    if (!svc.slos.some((s) => s.kind === kind)) return [];
    const slos = svc.slos.map((s) => ({ ...s }));
    slos.filter((s) => s.kind === kind).forEach(change);
    return [{ path: ['services', i, 'slos'], value: slos }];
  });
}

function firstOf(spec: Spec, kind: 'availability' | 'latency') {
  return spec.services.flatMap((s) => s.slos).find((s) => s.kind === kind);
}

export const slackChannelQuestion: Question = {
  id: 'slackChannel',
  flag: '--slack-channel <channel>',
  description: 'Slack channel for tickets and other non-paging alerts (teams get #<team>-alerts)',
  message: 'Slack channel for non-paging alerts',
  kind: 'input',
  current: (spec) => spec.monitoring.slack.defaultChannel,
  default: () => '#alerts',
  validate: (v) => (/^#[a-z0-9_-]+$/.test(v) ? undefined : 'use a channel name like #alerts (lowercase letters, digits, - and _)'),
  apply: (_spec, value) => [{ path: ['monitoring', 'slack', 'defaultChannel'], value: String(value) }],
};

export const availabilityQuestion: Question = {
  id: 'availability',
  flag: '--slo-availability <percent>',
  description: 'availability objective in percent for every service, e.g. 99.9',
  message: 'Availability SLO (% of requests without a 5xx, over 30 days)',
  kind: 'input',
  current: (spec) => {
    const slo = firstOf(spec, 'availability');
    return slo ? String(slo.objective) : undefined;
  },
  default: () => '99.9',
  validate: (v) => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !(n > 93.06 && n < 100)) return 'use a percentage above 93.06 and below 100, e.g. 99.9';
    return undefined;
  },
  apply: (spec, value) => editSlos(spec, 'availability', (s) => (s.objective = Number(value))),
};

export const latencyThresholdQuestion: Question = {
  id: 'latencyThreshold',
  flag: '--slo-latency-ms <ms>',
  description: 'latency SLO threshold in milliseconds; must be a histogram bucket boundary (metrics.latencyBuckets), e.g. 250 or 500',
  message: 'Latency SLO: requests faster than how many ms count as good?',
  kind: 'input',
  current: (spec) => {
    const slo = firstOf(spec, 'latency');
    return slo?.thresholdMs !== undefined ? String(slo.thresholdMs) : undefined;
  },
  // 250, not the handbook's 300: zero-code OpenTelemetry exports no 0.3 s bucket.
  default: () => String(DEFAULT_LATENCY_THRESHOLD_MS),
  validate: (v) => (/^[1-9]\d*$/.test(v) ? undefined : 'use a whole number of milliseconds, e.g. 250'),
  apply: (spec, value) => editSlos(spec, 'latency', (s) => (s.thresholdMs = Number(value))),
};
