import { GITLAB_ENTRY_FILE, GITLAB_ROOT_FILE, pipelineFile } from '../../model/pipeline-files.js';
import { previewIdentity } from '../../model/preview-identity.js';
import type { Model, Pipeline } from '../../model/types.js';
import type { Emitter, FileSpec } from '../types.js';
import { GITLAB_IMAGES } from './images.js';
import { DRIFT_SCHEDULE_VARIABLE, DRIFT_TOKEN_VARIABLE, infraApplyJobs, infraDriftJobs, infraPlanJobs } from './infra.js';
import { driftCheckJobs, gitlabSignerIdentity, previewJobs, productionPromotionJobs, securityJobs, sloRuleJobs, type PromotionVerify } from './repo-jobs.js';
import { drillJobs, postmortemReminderJobs, TASK_VARIABLE } from './incident-jobs.js';
import { WORKFLOW_RULES } from './rules.js';
import { serviceTrigger, type GitlabContext } from './service.js';
import { templateFiles, templatesByName, thinServiceJobs, type TemplateFile } from './templates.js';
import type { WrittenJob, WrittenNamedJob } from './types.js';
import { rulesForYaml, scriptLines } from './yaml.js';

/**
 * GitLab CI: the root `.gitlab-ci.yml` includes `.gitlab/ci/devops-init.yml` (workflow rules and
 * one `include` per pipeline), and each pipeline of the model is one file under `.gitlab/ci/`.
 * A repository with its own `.gitlab-ci.yml` keeps it (the plan skips it) and adds one include
 * line, which sync then says.
 *
 * Jobs are built as typed objects (tests assert on them, gitlab-ci-local validates them) and
 * written by one template that adds the comments; the root, entry and docs files are plain
 * Handlebars templates. Service pipelines are written by reference (templates.ts): shared
 * hidden jobs in `.gitlab/ci/templates/`, and per-service jobs that `extends` them with only
 * their own values; every other pipeline file reads on its own.
 */

/** A job as written: shell lines quoted the way GitLab's docs write them. */
/** Key order of a written job: `extends` first, then types.ts's order (a thin job's keys read like a whole job's). */
const KEY_ORDER: (keyof WrittenJob)[] = ['extends', 'stage', 'image', 'needs', 'rules', 'timeout', 'interruptible', 'resource_group', 'tags', 'services', 'environment', 'variables', 'id_tokens', 'cache', 'before_script', 'script', 'artifacts', 'allow_failure'];

function forYaml(job: WrittenJob): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (job[k] !== undefined) out[k] = job[k];
  for (const [k, v] of Object.entries(job)) if (!(k in out)) out[k] = v;
  if (job.script) out['script'] = scriptLines(job.script);
  if (job.before_script) out['before_script'] = scriptLines(job.before_script);
  if (job.rules) out['rules'] = rulesForYaml(job.rules);
  return out;
}

/** One pipeline file: a header saying what it is, and its jobs. */
function pipelineFileSpec(p: Pipeline, header: string[], jobs: WrittenNamedJob[], path = pipelineFile('gitlab', p.id)): FileSpec {
  return {
    path,
    template: 'gitlab/pipeline.yml.hbs',
    data: { header, jobs: jobs.map((j) => ({ comment: j.comment, entry: { [j.name]: forYaml(j.job) } })) },
    ownership: 'managed',
    practice: p.owner,
  };
}

function pipelineSpec(p: Pipeline, ctx: GitlabContext, model: Model, templates: Record<string, Record<string, unknown>>): FileSpec {
  switch (p.kind) {
    case 'service': {
      const t = serviceTrigger(p);
      // Its own jobs, thinned against the shared templates (whose content does not vary with the other services: test/engine/service-scope.test.ts).
      const file = pipelineFileSpec(p, [
        `CI for ${p.service}: lint and test, then the image is built (BuildKit, rootless), scanned (Trivy) and,`,
        `on ${p.defaultBranch} only, pushed by digest and signed${p.promote ? '; then staging is promoted through a merge request' : ''}.`,
        t.paths ? `Jobs run when these paths change (rules:changes): ${t.paths.join(', ')}.` : 'Jobs run on every change (the service is the repository root).',
        ...(t.skipPromotionMerges ? ['Merged promotions (GitOps-only commits) are skipped by their commit message: rules:changes cannot exclude a folder.'] : []),
        'Thin: the steps\' scripts, images, caches and timeouts are the hidden jobs of .gitlab/ci/templates/ these jobs extend',
        '(docs/gitlab-ci.md); this file sets what is the service\'s own.',
      ], thinServiceJobs(p, ctx, templates));
      return { ...file, service: p.service };
    }
    case 'security':
      return pipelineFileSpec(p, [
        'Repository-wide security checks that need no paid tier: committed secrets (gitleaks) and vulnerable',
        'dependencies (Trivy). Image scans run in each service\'s pipeline. Schedule a weekly pipeline of',
        `${p.defaultBranch} (CI/CD → Schedules) so new gitleaks rules and new advisories also check what is already merged.`,
      ], securityJobs(p, ctx, GITLAB_IMAGES.trivy));
    case 'drift-check':
      return pipelineFileSpec(p, ['The devops-init drift check on every pipeline.'], driftCheckJobs(p, ctx));
    case 'promote-production':
      return pipelineFileSpec(p, [
        'Promote a service from staging to production: a manual job per service on the default branch copies',
        'the digest staging runs into the production overlay; the next job verifies that digest\'s cosign signature',
        '(this project\'s CI on the default branch) and only then opens a merge request. See docs/gitops.md.',
      ], productionPromotionJobs(p, ctx, promotionVerify(model, ctx)));
    case 'preview-images':
      return pipelineFileSpec(p, [
        `Review apps for merge requests labelled "${p.label}": every service is built from the head, scanned and pushed`,
        `as ${p.tag.prefix}<first ${p.tag.shortShaLength} characters of the head SHA>, the tag Argo CD's preview ApplicationSet deploys.`,
        'Adding a label starts no pipeline: push, or run the merge request\'s pipeline, after labelling.',
      ], previewJobs(p, ctx, ctx.url));
    case 'slo-rules':
      return pipelineFileSpec(p, ['Checks and unit-tests the Prometheus SLO rules and the Alertmanager config when they change.'], sloRuleJobs(p, ctx));
    case 'infra-plan':
      return pipelineFileSpec(p, [`Terraform on merge requests touching ${p.dir}/: checks, misconfiguration scan, a plan per environment (read-only role).`], infraPlanJobs(p, ctx));
    case 'infra-apply':
      return pipelineFileSpec(p, [`Terraform on ${p.defaultBranch}: a manual apply per environment, in order, in its protected environment.`], infraApplyJobs(p, ctx));
    case 'infra-drift':
      return pipelineFileSpec(p, [`Nightly drift check: a pipeline schedule of ${p.defaultBranch} with ${DRIFT_SCHEDULE_VARIABLE}=true (cron ${p.schedule}, UTC; docs/infrastructure.md).`], infraDriftJobs(p, ctx));
    case 'incident-postmortems':
      return pipelineFileSpec(p, [
        `The postmortem clock: a pipeline schedule with ${TASK_VARIABLE}=postmortem-reminder comments on and labels incidents`,
        `closed more than ${p.businessDays} business days ago that no postmortem links. See docs/incident/severities.md.`,
      ], postmortemReminderJobs(p, ctx));
    case 'incident-drill':
      return pipelineFileSpec(p, [
        `Failover drills: a pipeline schedule with ${TASK_VARIABLE}=drill opens this ${p.cadence === 'quarterly' ? 'quarter' : 'month'}'s drill issue.`,
      ], drillJobs(p, ctx));
  }
}

/** A shared template file (hidden jobs only). */
function templateFileSpec(f: TemplateFile, owner: Pipeline['owner']): FileSpec {
  return {
    path: f.path,
    template: 'gitlab/pipeline.yml.hbs',
    data: { header: f.header, jobs: f.jobs.map((j) => ({ comment: j.comment, entry: { [j.name]: forYaml(j.job) } })) },
    ownership: 'managed',
    practice: owner,
  };
}

/**
 * What the production promotion verifies: GitLab signs with cosign only (devops.yaml rejects
 * attestations here), so the promoted digest must carry a keyless signature by this project's
 * CI on the default branch. The promotion is gitops', which requires ci, so the registry is set.
 */
function promotionVerify(model: Model, ctx: GitlabContext): PromotionVerify {
  if (!model.registry) throw new Error('the production promotion needs the registry the ci practice sets');
  return {
    registry: model.registry,
    issuer: ctx.url,
    identity: gitlabSignerIdentity(ctx.url, model.spec.project.repository, model.spec.project.defaultBranch),
  };
}

/** One line per pipeline file in docs/gitlab-ci.md. */
const PIPELINE_SUMMARY: { [K in Pipeline['kind']]: (p: Extract<Pipeline, { kind: K }>) => string } = {
  service: (p) => `${p.service}: lint, test, image build and scan; on ${p.defaultBranch}: push, sign${p.promote ? ', staging promotion' : ''}`,
  security: () => 'secret scan (gitleaks) and dependency scan (Trivy)',
  'drift-check': () => '`devops-init check`',
  'infra-plan': (p) => `Terraform checks, Trivy config scan and a plan per environment on merge requests touching \`${p.dir}/\``,
  'infra-apply': (p) => `manual Terraform apply per environment (${p.environments.map((e) => e.name).join(' → ')}) on ${p.defaultBranch}`,
  'infra-drift': () => `nightly Terraform drift check (schedule with \`${DRIFT_SCHEDULE_VARIABLE}=true\`), one issue`,
  'promote-production': () => 'manual production promotion per service',
  'preview-images': () => 'review apps: preview images for labelled merge requests',
  'slo-rules': () => 'promtool and amtool over monitoring/',
  'incident-postmortems': (p) => `scheduled: postmortem reminders (${TASK_VARIABLE}=postmortem-reminder, token ${p.gitlab.tokenVariable})`,
  'incident-drill': (p) => `scheduled: ${p.cadence} failover drill issue (${TASK_VARIABLE}=drill, token ${p.gitlab.tokenVariable})`,
};

/** What docs/gitlab-ci.md says about this repository's pipelines. */
function docsData(model: Model, ctx: GitlabContext, templates: TemplateFile[]): Record<string, unknown> {
  const kinds = new Set(model.pipelines.map((p) => p.kind));
  const registry = model.registry;
  return {
    url: ctx.url,
    repository: model.spec.project.repository,
    defaultBranch: model.spec.project.defaultBranch,
    entry: GITLAB_ENTRY_FILE,
    root: GITLAB_ROOT_FILE,
    files: [
      ...templates.map((t) => ({ path: t.path, what: 'shared templates (hidden jobs) the service files extend: see below' })),
      ...model.pipelines.map((p) => ({ path: pipelineFile('gitlab', p.id), what: PIPELINE_SUMMARY[p.kind](p as never) })),
    ],
    templates: templates.map((t) => ({ path: t.path, jobs: t.jobs.map((j) => j.name) })),
    services: model.pipelines.flatMap((p) => (p.kind === 'service' ? [{ name: p.service, image: p.image.repository }] : [])),
    promotion: kinds.has('promote-production'),
    previews: kinds.has('preview-images'),
    monitoring: kinds.has('slo-rules'),
    // No registry when only monitoring's pipeline exists (the ci practice is off).
    registry: registry ? { [registry.kind]: true, host: registry.host } : {},
    tags: ctx.tags ?? null,
    images: GITLAB_IMAGES,
    ecosystems: [...new Set((model.dependencyUpdates?.entries ?? []).map((e) => e.manager))],
    iac: model.infra ? { dir: model.infra.dir, driftVariable: DRIFT_SCHEDULE_VARIABLE, tokenVariable: DRIFT_TOKEN_VARIABLE } : null,
    iacRegistry: Boolean(model.infra?.registry),
    previewIdentity: kinds.has('preview-images') ? previewIdentity(registry) : null,
  };
}

/** GitLab CI: every pipeline of the model as an included file under .gitlab/ci/. */
export const gitlabCiEmitter: Emitter = {
  id: 'gitlab-ci',
  emit(model) {
    if (model.spec.ci.provider !== 'gitlab' || model.pipelines.length === 0) return [];
    const gitlab = model.spec.ci.gitlab;
    const ctx: GitlabContext = { url: gitlab.url.replace(/\/+$/, ''), project: model.spec.project.name, ...(gitlab.runnerTags.length ? { tags: gitlab.runnerTags } : {}) };
    const owner = model.pipelines.find((p) => p.owner === 'ci')?.owner ?? model.pipelines[0]!.owner;
    const services = model.pipelines.flatMap((p) => (p.kind === 'service' ? [p] : []));
    const shared = templateFiles(services, ctx);
    const templates = templatesByName(shared);
    const sharedSpecs = shared.map((f) => templateFileSpec(f, services[0]!.owner));
    const pipelines = [...sharedSpecs, ...model.pipelines.map((p) => pipelineSpec(p, ctx, model, templates))];
    return [
      { path: GITLAB_ROOT_FILE, template: 'gitlab/root.gitlab-ci.yml.hbs', data: { entry: GITLAB_ENTRY_FILE }, ownership: 'managed', practice: owner },
      {
        path: GITLAB_ENTRY_FILE,
        template: 'gitlab/devops-init.yml.hbs',
        data: { top: { workflow: { rules: rulesForYaml(WORKFLOW_RULES), auto_cancel: { on_new_commit: 'interruptible' } } }, include: pipelines.map((f) => ({ local: f.path })) },
        ownership: 'managed',
        practice: owner,
      },
      ...pipelines,
      { path: 'docs/gitlab-ci.md', template: 'gitlab/gitlab-ci.md.hbs', data: docsData(model, ctx, shared), ownership: 'managed', practice: owner },
    ];
  },
};
