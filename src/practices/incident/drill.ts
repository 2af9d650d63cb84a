import { ENVIRONMENT_LABEL, selectorLabels, serviceLabels } from '../../model/labels.js';
import type { Model } from '../../model/types.js';

/** A selector for this project's pods of one environment: the labels every service's objects carry, minus the per-service ones, plus the environment's. */
function environmentPods(project: string, environment: string): string {
  const perService = Object.keys(selectorLabels('x'));
  const common = Object.entries(serviceLabels(project, 'x')).filter(([k]) => !perService.includes(k));
  return [...common, [ENVIRONMENT_LABEL, environment]].map(([k, v]) => `${k}=${v}`).join(',');
}

interface Scenario {
  title: string;
  text: string;
  commands: string[];
}

/** The failures worth rehearsing in this repository's setup, with the commands for the environment. */
export function drillScenarios(model: Model, environment: 'staging' | 'production'): Scenario[] {
  const ns = model.namespaces?.[environment] ?? `<${environment}-namespace>`;
  const svcs = model.spec.services;
  const first = svcs[0]?.name ?? '<service>';
  const out: Scenario[] = [
    {
      title: 'Lose a node (or a zone)',
      text: `Take the ${environment} pods off one node and check every service keeps its SLO (replicas, PodDisruptionBudgets, spread). ` +
        (model.argocd
          ? `Staging and production run in the same cluster here (both Argo CD destinations are the cluster Argo CD runs in), so a plain \`kubectl drain\` would evict production pods too: `
          : `If ${environment} shares its cluster with other environments, a plain \`kubectl drain\` would evict their pods too: `) +
        `the selector below evicts only this project's ${environment} pods (evictions honour the PodDisruptionBudgets), and the node stays cordoned until \`uncordon\`.`,
      commands: [
        `kubectl -n ${ns} get pods -o wide`,
        `kubectl drain <node> --pod-selector '${environmentPods(model.spec.project.name, environment)}' --ignore-daemonsets --delete-emptydir-data`,
        'kubectl uncordon <node>',
      ],
    },
    {
      title: 'Kill the pods of one service',
      text: 'Delete the pods of one service at once and time how long until it serves again.',
      commands: [`kubectl -n ${ns} delete pods -l app.kubernetes.io/name=${first}`],
    },
  ];
  const rollouts = model.workloads.filter((w) => w.kind === 'Rollout').map((w) => w.service);
  const overlay = model.workloads.flatMap((w) => w.overlays).find((o) => o.name === environment);
  out.push({
    title: 'Roll back a release',
    text: overlay
      ? `${rollouts.length ? 'Abort a Rollout mid-flight (traffic back to stable at once; it changes only the status, which a sync does not touch), then r' : 'R'}evert the last promotion commit of ${environment} (Git is the source of truth; Argo CD deploys the previous version).` +
        (rollouts.length ? ' Not `kubectl argo rollouts undo`: it rewrites the Rollout\'s spec, which Argo CD\'s self-heal puts back from Git within seconds.' : '')
      : 'Redeploy the previous version the way this repository deploys.',
    commands: [
      ...rollouts.map((s) => `kubectl argo rollouts -n ${ns} abort ${s}`),
      ...(overlay ? [`git log --oneline -5 -- ${overlay.dir}`, 'git revert <promotion-commit>'] : []),
    ],
  });
  const withDb = svcs.filter((s) => s.database !== undefined);
  out.push({
    title: 'Restore the database from backup',
    text: withDb.length
      ? `Restore the latest backup of ${withDb.map((s) => `${s.name} (${s.database})`).join(', ')} into a new instance in ${environment}, point the service at it, and measure the data lost (RPO) and the time taken (RTO).`
      : 'No service declares a managed database in devops.yaml; if one keeps state elsewhere, restore its latest backup into a scratch instance and measure RPO and RTO.',
    commands: [],
  });
  out.push({
    title: 'Fail the primary region',
    text: 'devops-init provisions one region per environment: there is no generated secondary region. Write down what a region loss would cost today (the honest DR answer) or rehearse your own failover if you have one.',
    commands: [],
  });
  return out;
}

/** The drill issue's markdown body. */
export function drillBody(model: Model, environment: 'staging' | 'production', cadence: 'quarterly' | 'monthly' = 'quarterly', rehearsal?: string): string {
  const record = `docs/incident/drills/${cadence === 'monthly' ? '<YYYY>-<MM>' : '<YYYY>-Q<n>'}.md`;
  const lines: string[] = [
    'Failover drill, built by devops-init from this repository. Rehearse in **' + environment + '**; never against production unless the team decided so on purpose.',
    'Anything that went wrong is a postmortem (docs/incident/postmortem-template.md).',
    '',
    '### Services',
    '',
    '| Service | Language | Strategy | SLOs to watch |',
    '| --- | --- | --- | --- |',
    ...model.spec.services.map((s) => `| ${s.name} | ${s.language} | ${s.deploy.strategy} | ${s.slos.map((o) => `${o.name} ${o.objective}%`).join(', ') || 'none'} |`),
    '',
    '### Failures to rehearse',
    '',
  ];
  for (const s of drillScenarios(model, environment)) {
    lines.push(`- [ ] **${s.title}.** ${s.text}`);
    if (s.commands.length) lines.push('', '  ```sh', ...s.commands.map((c) => `  ${c}`), '  ```', '');
  }
  lines.push(
    '',
    '### During the drill',
    '',
    ...(rehearsal ? [`- [ ] Automated rehearsal in ${environment} (deletes one zone's pods of a service and times its recovery): ${rehearsal}. It refuses production unless asked for explicitly and approved.`] : []),
    '- [ ] Watch the SLO dashboards; note the error budget the drill burned.',
    '- [ ] Check that the right alerts fired (or stayed quiet) and that their runbooks were right.',
    '- [ ] Time each recovery: detect, mitigate, recovered.',
    '',
    '### Findings',
    '',
    '- What worked:',
    '- What did not:',
    '- Runbooks to fix:',
    '- Action items (owner, issue):',
    '',
    `- [ ] Commit these findings to \`${record}\` (the period in this issue's title): \`devops-init doctor\` reads the dates of those files to tell whether a drill ran last quarter, since the issue tracker is not visible offline.`,
  );
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
