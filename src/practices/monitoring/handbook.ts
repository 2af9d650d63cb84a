import type { Handbook } from '../types.js';

export const monitoringHandbook: Handbook = {
  summary: "SLO-driven alerts that don't burn out humans.",
  what:
    'Define service level objectives (e.g. 99.9% of requests under 300 ms over 30 days) and alert only when the ' +
    'error budget burns dangerously fast; route pages to PagerDuty and tickets to Slack through Alertmanager. ' +
    'devops-init renders, from the SLOs in devops.yaml: Prometheus recording rules, multi-window multi-burn-rate ' +
    'alerts (as rule files and PrometheusRules), promtool unit tests proving they fire and stay quiet, the ' +
    'Alertmanager routing, a RED + SLO Grafana dashboard per service, and a CI job that checks and tests the rules.',
  why:
    'Threshold alerts on CPU or single error spikes wake people for things users never notice and miss slow ' +
    'leaks that users do. A burn-rate alert asks the only question that matters at 3 a.m.: at this rate, will we ' +
    'break our promise to users? If yes, page; if slowly, open a ticket; otherwise stay quiet.',
  pros: ['Fewer false alarms', 'Aligned with user experience'],
  cons: ['Requires baselining: pick objectives from real traffic, then revisit them'],
  bestFor: 'Any production system.',
  notes: [
    'Common mistake: paging on CPU or memory thresholds. They are causes, not symptoms; watch them on dashboards, alert on what users feel.',
    'Common mistake: set-and-forget Grafana. Review the SLO dashboard in a weekly ops review; retire panels nobody reads and revisit objectives the team always or never meets.',
    'Tip: one SLO per user-facing endpoint or journey (availability and latency), not one per internal component.',
    'Tip: alert on burn rate over two windows (e.g. 14.4x over 1h and 5m): fast detection, quick reset, no flapping.',
  ],
};
