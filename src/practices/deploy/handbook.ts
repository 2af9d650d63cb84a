import type { Handbook } from '../types.js';

/** The handbook's strategy table, rendered by `explain deploy` and the docs. */
export const STRATEGY_TABLE = [
  '| Strategy | Risk | Complexity | Best for |',
  '| --- | --- | --- | --- |',
  '| Rolling | Low | Low | Most services |',
  '| Blue/Green | Low | Medium | Stateful or DB-coupled services |',
  '| Canary | Lowest | High | High-traffic critical paths |',
  '| Feature flags | Lowest | Medium | Product experimentation |',
].join('\n');

export const deployHandbook: Handbook = {
  summary: 'Rolling, blue/green, canary and feature flags: choose how much of a release users see at once.',
  what:
    'Rolling replaces pods a few at a time and is the default. Blue/green starts the new version beside the old one and ' +
    'switches all traffic at once, with an instant switch back. Canary sends a small, growing share of traffic to the new ' +
    'version (10% → 25% → 50% → 100%) and lets the service\'s SLO queries decide each step. Feature flags separate deploying ' +
    'code from releasing it: the code ships dark and a flag turns it on for some or all users. We generate Argo Rollouts ' +
    'objects with a Prometheus analysis built from each service\'s SLOs, and flagd beside the service for flags.',
  why:
    'Every release is a risk; the strategy limits how many users a bad one reaches and how fast you can take it back.',
  pros: ['Smaller blast radius for a bad release', 'Faster, often automatic rollback'],
  cons: ['More moving parts: a Rollouts controller, analysis queries, flag hygiene'],
  bestFor: 'Any service with paying users.',
  notes: [
    STRATEGY_TABLE,
    'Recommendation: stateful or DB-coupled → blue/green; high-traffic critical path → canary; otherwise rolling. ' +
      'Feature flags combine with any of them.',
    'The analysis judges the new version against the stable one, in the Rollout\'s own namespace: it needs series ' +
      'labelled by namespace and by the pod\'s rollouts-pod-template-hash, which the observability practice\'s ' +
      'collector derives from the sending pod (a workload cannot claim another\'s). A fix passes while the current ' +
      'version is failing, as long as it is no worse; `kubectl argo rollouts promote --full` skips the gate in an incident.',
  ],
};
