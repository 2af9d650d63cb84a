/**
 * Handbook text that belongs to no single practice, in our own words: printed by
 * `devops-init explain` with no argument. Each practice carries its own section.
 */
export const HANDBOOK_INTRO =
  'devops-init follows a working DevOps handbook for backend teams: build, test and ship on every commit; keep the ' +
  'cluster\'s desired state in Git; describe infrastructure as reviewable code; correlate metrics, logs and traces; ' +
  'page people only when users are hurt; respond to incidents calmly and learn from them; and release with a ' +
  'strategy matched to the risk.';

export const COMMON_MISTAKES = [
  "Treating monitoring as 'set up Grafana and forget': dashboards nobody reads catch nothing.",
  'Paging on CPU or memory thresholds instead of user-facing SLOs.',
  'Letting CI grow past 15 minutes: slow feedback stops people waiting for it.',
  "Skipping the postmortem because 'it is already fixed': the fix is not the lesson.",
];

export const PRODUCTION_TIPS = [
  'One SLO per user-facing endpoint, and alert on how fast the error budget burns.',
  'Security scans (Trivy for images, gitleaks for secrets) run in CI on every change, never optional.',
  'Ephemeral preview environments per pull request, for backends as well as front ends.',
  'Rehearse failover every quarter: disaster recovery nobody has tested does not exist.',
];
