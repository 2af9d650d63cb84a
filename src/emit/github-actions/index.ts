import { previewIdentity } from '../../model/preview-identity.js';
import { buildContextLines } from '../../model/otel.js';
import type { Model, Pipeline, PromotionToken, RegistryLogin, ServicePipeline } from '../../model/types.js';
import type { Emitter, FileSpec } from '../types.js';
import { dependabotConfig } from './dependabot.js';
import { GITHUB_HELPERS } from './helpers.js';
import { infraApplyData, infraDriftData, infraPlanData } from './infra.js';
import {
  calledChecks,
  checksWorkflowData,
  checksWorkflowId,
  IMAGE_WORKFLOW,
  imageWorkflowData,
  PROMOTE_STAGING_WORKFLOW,
  promoteStagingWorkflowData,
  registryView,
  serviceWorkflowData,
  stackOf,
  workflowPath,
} from './service-workflow.js';

/** The runner every job uses (devops.yaml `ci.github.runner`). */
function runnerOf(model: Model): string {
  return model.spec.ci.github.runner;
}

/** The flags the promotion templates branch on. */
function tokenData(token: PromotionToken): Record<string, boolean> {
  return { githubToken: token === 'pipeline', mintedToken: token === 'app' };
}

/**
 * The certificate identity keyless signatures of a service's images carry: Fulcio's SAN for
 * GitHub Actions is the workflow that defines the signing job (the `job_workflow_ref` claim), so
 * for every service it is the shared image workflow on the default branch of this repository.
 * Which service's caller ran it is in the certificate's Build Config URI extension.
 */
function signerIdentity(model: Model): string {
  return `https://github.com/${model.spec.project.repository}/${workflowPath(IMAGE_WORKFLOW)}@refs/heads/${model.spec.project.defaultBranch}`;
}

/**
 * The reusable workflows the services' thin callers use: one checks workflow per stack in use,
 * the image workflow, and the staging promotion when gitops adds it. Managed files owned by the
 * practice whose contribution they render.
 */
function sharedWorkflows(model: Model): FileSpec[] {
  const services = model.pipelines.filter((p): p is ServicePipeline => p.kind === 'service');
  if (services.length === 0) return [];
  const runner = runnerOf(model);
  const file = (id: string, template: string, data: Record<string, unknown>, practice: FileSpec['practice']): FileSpec => ({
    path: workflowPath(id),
    template: `github/${template}`,
    data,
    ownership: 'managed',
    practice,
    helpers: GITHUB_HELPERS,
  });
  const stacks = new Map<string, ServicePipeline[]>();
  for (const p of services) {
    if (calledChecks(p).length === 0) continue;
    const stack = stackOf(p.setup);
    stacks.set(stack, [...(stacks.get(stack) ?? []), p]);
  }
  const owner = services[0]!.owner;
  const files = [...stacks].sort(([a], [b]) => a.localeCompare(b)).map(([stack, ps]) => file(checksWorkflowId(stack), 'checks-workflow.yml.hbs', checksWorkflowData(stack, ps, runner), owner));
  files.push(file(IMAGE_WORKFLOW, 'image-workflow.yml.hbs', imageWorkflowData(services, runner, model.spec.project.repository), owner));
  const promoted = services.filter((p) => p.promote);
  // The promotion is gitops's contribution to ci's pipelines (addPromotion): gitops owns it.
  if (promoted.length) files.push(file(PROMOTE_STAGING_WORKFLOW, 'promote-staging-workflow.yml.hbs', promoteStagingWorkflowData(promoted, runner), 'gitops'));
  return files;
}

/**
 * How the production promotion verifies the digest it copies before opening the pull request:
 * with the registry's read access the workflow has (GHCR: GITHUB_TOKEN with packages: read).
 * Cloud registries need a cloud identity the production environment does not get here, so the
 * pull request body gives the reviewer the command instead (said in docs/ci.md).
 */
function promotionVerify(model: Model) {
  const ghcr = model.registry?.kind === 'ghcr';
  const signing = model.spec.ci.signing;
  return {
    ghcr,
    cosign: ghcr && signing === 'cosign',
    attestation: ghcr && signing === 'attestation',
    issuer: 'https://token.actions.githubusercontent.com',
    repository: model.spec.project.repository,
    manual: !ghcr,
    signing,
  };
}

/** The repository variable naming the preview push identity, and its expression; null when none is needed. */
function previewIdentityView(r: RegistryLogin) {
  const id = previewIdentity(r);
  return id ? { ...id, expr: `vars.${id.variable}` } : null;
}

function workflow(model: Model, p: Pipeline): FileSpec {
  const runner = runnerOf(model);
  const repository = model.spec.project.repository;
  const file = (template: string, data: Record<string, unknown>): FileSpec => ({
    path: workflowPath(p.id),
    template: `github/${template}`,
    data,
    ownership: 'managed',
    practice: p.owner,
    helpers: GITHUB_HELPERS,
  });
  switch (p.kind) {
    case 'service':
      // Its own inputs only (the shared reusable workflows are other files), computed when it renders.
      return {
        path: workflowPath(p.id),
        template: 'github/service-workflow.yml.hbs',
        get data() {
          return serviceWorkflowData(p, runner, repository);
        },
        ownership: 'managed',
        practice: p.owner,
        helpers: GITHUB_HELPERS,
        service: p.service,
      };
    case 'security':
      return file('security.yml.hbs', { branch: p.defaultBranch, runner, gitleaksImage: p.gitleaksImage });
    case 'drift-check':
      return file('devops-check.yml.hbs', { branch: p.defaultBranch, runner, toolVersion: p.toolVersion, script: p.script });
    case 'promote-production':
      return file('promote.yml.hbs', {
        services: p.services.map((s) => ({ ...s, identity: signerIdentity(model) })),
        verify: promotionVerify(model),
        dir: p.dir,
        runner,
        kustomizeVersion: p.kustomizeVersion,
        unpromoted: p.unpromoted,
        addPaths: p.addPaths,
        ...tokenData(p.token),
      });
    case 'preview-images': {
      const label = p.label;
      // The image job's output per service carrying its scanned archive's checksum, and the
      // named build contexts of its image (docker/build-push-action's build-contexts lines).
      const previewServices = p.services.map((s) => {
        const lines = buildContextLines(s.namedContexts());
        return { service: s.service, image: s.image, context: s.context, file: s.file, buildContexts: lines.length ? lines.join('\n') : null, checksumOutput: `sha256-${s.service}`, checksumExpr: `steps.archive.outputs.sha256-${s.service}` };
      });
      return file('previews.yml.hbs', {
        label,
        runner,
        repository,
        // Rebuild only for events that change what the preview runs: a new head, or the label
        // being added. Fork PRs are skipped (their token cannot push; a label must not change that).
        conditions: [
          `contains(github.event.pull_request.labels.*.name, '${label}')`,
          `&& github.event.pull_request.head.repo.full_name == github.repository`,
          `&& (github.event.action != 'labeled' || github.event.label.name == '${label}')`,
        ],
        // Runs for unrelated labels get a group of their own, so they never cancel a build.
        concurrencySuffix: `github.event.action == 'labeled' && github.event.label.name != '${label}' && github.run_id || 'build'`,
        tag: { rule: `type=sha,prefix=${p.tag.prefix},format=short`, length: String(p.tag.shortShaLength) },
        services: previewServices,
        // A leg without named contexts reads matrix.build-contexts as '' (the action ignores it).
        anyBuildContexts: previewServices.some((s) => s.buildContexts !== null),
        registry: registryView(p.registry),
        branch: model.spec.project.defaultBranch,
        // The preview push identity when iac provides none: a repository variable, checked first.
        previewIdentity: previewIdentityView(p.registry),
      });
    }
    case 'infra-plan':
      return file('infra-plan.yml.hbs', infraPlanData(p, runner));
    case 'infra-apply':
      return file('infra-apply.yml.hbs', infraApplyData(p, runner, repository));
    case 'infra-drift':
      return file('infra-drift.yml.hbs', infraDriftData(p, runner));
    case 'slo-rules':
      return file('monitoring.yml.hbs', {
        branch: p.defaultBranch,
        runner,
        hasRules: p.hasRules,
        prometheusImage: p.prometheusImage,
        alertmanagerImage: p.alertmanagerImage,
        routeTests: p.routeTests,
      });
    case 'incident-postmortems':
      return file('incident-postmortems.yml.hbs', { runner, schedule: p.schedule, businessDays: p.businessDays, businessDaysText: String(p.businessDays), labels: p.labels, ensureLabelsScript: p.ensureLabels.githubScript.trimEnd(), script: p.githubScript.trimEnd() });
    case 'incident-drill':
      return file('incident-drill.yml.hbs', { runner, schedule: p.schedule, cadence: p.cadence, period: p.cadence === 'quarterly' ? 'quarter' : 'month', environment: p.environment, labels: p.labels, ensureLabelsScript: p.ensureLabels.githubScript.trimEnd(), body: p.body.trimEnd(), script: p.githubScript.trimEnd(), rehearsal: p.rehearsal ?? null });
  }
}

/** docs/ci.md: what the workflows do, how to verify images, the trust decisions, dependency updates. */
function ciDocs(model: Model): FileSpec {
  const signing = model.spec.ci.signing;
  const tool = model.dependencyUpdates?.tool ?? 'none';
  const drift = model.pipelines.find((p) => p.kind === 'drift-check');
  const names: Record<string, string> = { ghcr: 'GHCR', ecr: 'Amazon ECR', gar: 'Artifact Registry', acr: 'Azure Container Registry', gitlab: 'GitLab' };
  return {
    path: 'docs/ci.md',
    template: 'github/ci.md.hbs',
    data: {
      branch: model.spec.project.defaultBranch,
      repository: model.spec.project.repository,
      ghcr: model.registry?.kind === 'ghcr',
      registryName: names[model.registry?.kind ?? 'ghcr'],
      cosign: signing === 'cosign',
      attestation: signing === 'attestation',
      hasTestServices: model.pipelines.some((p) => p.kind === 'service' && (p.testServices?.length ?? 0) > 0),
      promotion: model.pipelines.some((p) => p.kind === 'promote-production'),
      stagingPromotion: model.pipelines.some((p) => p.kind === 'service' && p.promote),
      previews: model.pipelines.some((p) => p.kind === 'preview-images'),
      previewIdentity: model.pipelines.some((p) => p.kind === 'preview-images') ? previewIdentity(model.registry) : null,
      toolVersion: drift?.kind === 'drift-check' ? drift.toolVersion : '',
      javaAgent: model.services.some((s) => s.instrumented && s.spec.language === 'java'),
      pythonOtel: model.services.some((s) => s.instrumented && s.spec.language === 'python'),
      dependabot: tool === 'dependabot',
      renovate: tool === 'renovate',
      noUpdates: tool === 'none',
    },
    ownership: 'managed',
    practice: 'ci',
  };
}

/** GitHub Actions: every pipeline as a workflow under .github/workflows, docs/ci.md, and Dependabot. */
export const githubActionsEmitter: Emitter = {
  id: 'github-actions',
  emit(model) {
    // Another CI provider writes the pipelines (and dependency updates are documented there).
    if (model.spec.ci.provider !== 'github') return [];
    const files = [...model.pipelines.map((p) => workflow(model, p)), ...sharedWorkflows(model)];
    // Only with the ci practice (monitoring alone contributes a pipeline too).
    if (model.pipelines.some((p) => p.owner === 'ci')) files.push(ciDocs(model));
    if (model.dependencyUpdates?.tool === 'dependabot') {
      files.push({
        path: '.github/dependabot.yml',
        template: 'github/dependabot.yml.hbs',
        data: { config: dependabotConfig(model.dependencyUpdates) },
        ownership: 'managed',
        practice: model.dependencyUpdates.owner,
      });
    }
    return files;
  },
};
