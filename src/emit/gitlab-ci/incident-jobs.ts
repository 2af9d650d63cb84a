import type { DrillPipeline, PostmortemReminderPipeline } from '../../model/types.js';
import type { GitlabContext } from './service.js';
import type { NamedJob } from './types.js';

const tags = (ctx: GitlabContext) => (ctx.tags ? { tags: ctx.tags } : {});

/** The variable a pipeline schedule sets to pick one scheduled task (CI/CD → Schedules → variables). */
export const TASK_VARIABLE = 'INCIDENT_TASK';

const scheduled = (task: string) => [{ if: `$CI_PIPELINE_SOURCE == "schedule" && $${TASK_VARIABLE} == "${task}"` }];

/** The postmortem clock as a scheduled job: the same rule as on GitHub, through the GitLab API. */
export function postmortemReminderJobs(p: PostmortemReminderPipeline, ctx: GitlabContext): NamedJob[] {
  return [{
    name: 'incident:postmortem-reminder',
    comment: [
      `Runs only in a pipeline schedule with ${TASK_VARIABLE}=postmortem-reminder (suggested cron: ${p.schedule}).`,
      `Needs a project access token (role Reporter, scope api) in the masked CI/CD variable ${p.gitlab.tokenVariable}.`,
      `It first creates the incident labels that are missing (${p.ensureLabels.gitlabScriptPath}): run the schedule once after setup.`,
    ],
    job: {
      stage: 'test',
      image: p.gitlab.image,
      needs: [],
      rules: scheduled('postmortem-reminder'),
      timeout: '5m',
      interruptible: false,
      ...tags(ctx),
      variables: { BUSINESS_DAYS: String(p.businessDays), INCIDENT_LABEL: p.labels.incident, POSTMORTEM_LABEL: p.labels.postmortem, OVERDUE_LABEL: p.labels.overdue },
      script: [`node ${p.ensureLabels.gitlabScriptPath}`, `node ${p.gitlab.scriptPath}`],
    },
  }];
}

/** The drill issue as a scheduled job. */
export function drillJobs(p: DrillPipeline, ctx: GitlabContext): NamedJob[] {
  return [{
    name: 'incident:drill',
    comment: [
      `Runs only in a pipeline schedule with ${TASK_VARIABLE}=drill (suggested cron: ${p.schedule}), or run that schedule by hand.`,
      `Needs the same project access token variable, ${p.gitlab.tokenVariable}; it creates missing labels first too.`,
    ],
    job: {
      stage: 'test',
      image: p.gitlab.image,
      needs: [],
      rules: scheduled('drill'),
      timeout: '5m',
      interruptible: false,
      ...tags(ctx),
      variables: { CADENCE: p.cadence, DRILL_LABEL: p.labels.drill, DRILL_BODY_FILE: p.gitlab.bodyPath },
      script: [`node ${p.ensureLabels.gitlabScriptPath}`, `node ${p.gitlab.scriptPath}`],
    },
  }, ...rehearsalJobs(p, ctx)];
}

/**
 * The automated rehearsal: run a pipeline by hand (or a schedule) with INCIDENT_TASK=rehearse and
 * DRILL_SERVICE. Staging unless DRILL_ENVIRONMENT=production, which gets a manual job in the
 * protected production environment that also needs DRILL_CONFIRM=production. The environment
 * is the script's argument, not a variable, so no pipeline variable can point a job elsewhere.
 */
function rehearsalJobs(p: DrillPipeline, ctx: GitlabContext): NamedJob[] {
  const r = p.rehearsal;
  if (!r) return [];
  const manual = (cond: string) => [{ if: `($CI_PIPELINE_SOURCE == "web" || $CI_PIPELINE_SOURCE == "schedule") && $${TASK_VARIABLE} == "rehearse" && ${cond}` }];
  const job = (env: 'staging' | 'production', comment: string[], rules: Record<string, unknown>[]): NamedJob => ({
    name: `incident:rehearse:${env}`,
    comment,
    job: {
      stage: 'test',
      // A guess, not verified from here: an image with kubectl and bash. Check the tag exists, pin it by digest.
      image: r.image,
      needs: [],
      rules,
      timeout: '20m',
      interruptible: false,
      resource_group: 'incident-rehearsal',
      // prepare: the environment's protection and scoped variables apply, and no deployment is recorded.
      environment: { name: env, action: 'prepare' },
      ...tags(ctx),
      script: [`bash ${r.scriptPath} ${env}`],
    },
  });
  return [
    job('staging', [
      `Deletes one zone's pods of DRILL_SERVICE (${r.services.join(', ')}) in ${r.namespaces.staging} and times the recovery.`,
      `Cluster access: a File variable ${r.secret} (a kubeconfig) scoped to the staging environment.`,
    ], manual('$DRILL_ENVIRONMENT != "production"')),
    job('production', [
      `Only with DRILL_ENVIRONMENT=production and DRILL_CONFIRM=production, started by hand, in the protected production`,
      `environment (Settings → CI/CD → Protected environments) whose scoped ${r.secret} is the production kubeconfig.`,
    ], [{ ...manual('$DRILL_ENVIRONMENT == "production"')[0], when: 'manual' }]),
  ];
}
