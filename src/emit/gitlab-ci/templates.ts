import type { ServicePipeline } from '../../model/types.js';
import { mergeOver, resolveExtends, sameData, thinOverlay } from './extends.js';
import { serviceJobs, serviceTrigger, type GitlabContext } from './service.js';
import { checkRules, publishRules } from './rules.js';
import { checkToolchain } from './toolchain.js';
import type { Job, NamedJob, WrittenJob, WrittenNamedJob } from './types.js';

/**
 * Service pipelines by reference (issue 13): the logic every service shares — scripts, images,
 * timeouts, caches, registry login, id_tokens, artifacts — is written once, as hidden jobs in
 * `.gitlab/ci/templates/`, and each `.gitlab/ci/ci-<service>.yml` is thin: jobs that `extends`
 * those templates and set only what is the service's own (folders, image, needs, the paths in
 * its `rules:changes`).
 *
 * The whole jobs `serviceJobs` builds stay the single source of truth: a template is such a
 * job without its per-service keys, and a thin job is `thinOverlay(whole job, what it
 * extends)`. So the pipeline GitLab runs after merging is the one devops-init wrote before the
 * templates existed, key for key; the tests resolve every thin job and compare.
 *
 * One job per service and step, not `parallel:matrix`: each service keeps its own path filter
 * (`rules:changes`) and its own `needs` chain, so a merge request that changes one service runs
 * and blocks on that service's jobs only, and their names stay stable for required checks.
 */

/** Where the shared definitions live. */
export const TEMPLATES_DIR = '.gitlab/ci/templates';
export const IMAGE_TEMPLATES_FILE = `${TEMPLATES_DIR}/image.yml`;
const checksFile = (language: string): string => `${TEMPLATES_DIR}/${language}.yml`;

/** The check template of a toolchain: `.checks-go`, `.checks-python-uv`, `.checks-node-pnpm`. */
export function checksTemplate(p: ServicePipeline): string {
  const { language, packageManager: pm } = p.setup;
  return pm === language ? `.checks-${language}` : `.checks-${language}-${pm}`;
}

type Obj = Record<string, unknown>;

/** A whole job without the keys and variables that are each service's own. */
function strip(job: Job, keys: (keyof Job)[], variables: string[] = []): WrittenJob {
  const out: WrittenJob = { ...job };
  for (const k of keys) delete out[k];
  if (out.variables) {
    const v = Object.fromEntries(Object.entries(out.variables).filter(([k]) => !variables.includes(k)));
    if (Object.keys(v).length) out.variables = v;
    else delete out.variables;
  }
  return out;
}

const PER_SERVICE: (keyof Job)[] = ['needs', 'rules'];

export interface TemplateFile {
  path: string;
  header: string[];
  jobs: WrittenNamedJob[];
}

/** The shared template files for these service pipelines (only the toolchains in use). */
export function templateFiles(pipelines: ServicePipeline[], ctx: GitlabContext): TemplateFile[] {
  if (pipelines.length === 0) return [];
  const first = pipelines[0]!;
  const whole = new Map(serviceJobs(first, ctx).map((j) => [j.name.slice(first.service.length + 1), j.job]));
  const promoted = pipelines.find((p) => p.promote);
  const image: WrittenNamedJob[] = [
    {
      name: '.image-build',
      comment: [
        'Build a service\'s image with BuildKit, rootless and daemonless (no Docker-in-Docker, no privileged runner),',
        'into an OCI archive the next jobs scan and push. BuildKit\'s layer cache is kept in the GitLab cache, one key per service.',
        'Each service sets SERVICE, CONTEXT (its build context), DOCKERFILE_DIR and DOCKERFILE_NAME, and BUILD_CONTEXTS',
        'when its Dockerfile reads a named build context (name=folder words, e.g. the OpenTelemetry lock of Node images).',
      ],
      job: strip(whole.get('image')!, PER_SERVICE, ['SERVICE', 'CONTEXT', 'DOCKERFILE_DIR', 'DOCKERFILE_NAME', 'BUILD_CONTEXTS']),
    },
    {
      name: '.image-scan',
      comment: [
        'Scan the archive with Trivy: fixable CRITICAL or HIGH vulnerabilities fail the pipeline, so nothing is pushed.',
        'Also writes the CycloneDX SBOM the sign job attests. No id_tokens: the scanner holds no OIDC token.',
      ],
      job: strip(whole.get('scan')!, PER_SERVICE),
    },
    {
      name: '.image-push',
      comment: [
        `${first.defaultBranch} only: push the scanned archive unchanged as the immutable tag sha-<commit SHA>;`,
        'its digest goes to the sign and promotion jobs as a dotenv report (IMAGE_DIGEST). Each service sets IMAGE.',
      ],
      job: strip(whole.get('push')!, PER_SERVICE, ['IMAGE']),
    },
    {
      name: '.image-sign',
      comment: [
        'Keyless cosign signature and SBOM attestation of the pushed digest, with the job\'s OIDC identity.',
        `Verify: cosign verify --certificate-oidc-issuer ${ctx.url} \\`,
        `  --certificate-identity "${ctx.url}/<project path>//.gitlab-ci.yml@refs/heads/${first.defaultBranch}" <image>@<digest>`,
      ],
      job: strip(whole.get('sign')!, PER_SERVICE, ['IMAGE']),
    },
  ];
  if (promoted) {
    const job = serviceJobs(promoted, ctx).find((j) => j.name === `${promoted.service}:promote-staging`)!.job;
    image.push({
      name: '.promote-staging',
      comment: [
        'Pin the signed digest in the staging overlay and open a merge request; merging it deploys staging (Argo CD).',
        'Never cancelled half-way; each service adds its own resource_group (one promotion per service at a time)',
        'and sets SERVICE, IMAGE, OVERLAY and BRANCH.',
      ],
      job: strip(job, [...PER_SERVICE, 'resource_group'], ['SERVICE', 'IMAGE', 'OVERLAY', 'BRANCH']),
    });
  }
  const files: TemplateFile[] = [
    {
      path: IMAGE_TEMPLATES_FILE,
      header: [
        'How every service\'s image is built, scanned, pushed and signed' + (promoted ? ', and staging promoted' : '') + ': hidden jobs the',
        'per-service files (.gitlab/ci/ci-<service>.yml) extend. Change a step here and every service follows.',
      ],
      jobs: image,
    },
  ];

  // One check template per toolchain in use, grouped by language.
  const byLanguage = new Map<string, Map<string, ServicePipeline>>();
  for (const p of pipelines) {
    const names = byLanguage.get(p.setup.language) ?? new Map<string, ServicePipeline>();
    if (!names.has(checksTemplate(p))) names.set(checksTemplate(p), p);
    byLanguage.set(p.setup.language, names);
  }
  for (const [language, names] of [...byLanguage].sort(([a], [b]) => a.localeCompare(b))) {
    const jobs: WrittenNamedJob[] = [];
    for (const [name, p] of names) {
      const tool = toolVariables(p);
      jobs.push({
        name,
        comment: [`Lint and test jobs of ${p.setup.packageManager === 'none' ? language : p.setup.packageManager} services: stage, timeout, cache locations. Each service sets its image, folders, cache key and commands.`],
        job: {
          stage: 'test',
          needs: [],
          timeout: '15m',
          interruptible: true,
          ...(ctx.tags ? { tags: ctx.tags } : {}),
          ...(Object.keys(tool).length ? { variables: tool } : {}),
        },
      });
    }
    files.push({ path: checksFile(language), header: [`The ${language} toolchain's check jobs: hidden jobs the per-service files extend.`], jobs });
  }
  return files;
}

/** The toolchain's own variables (cache folders, tool versions): what a check job has whatever the service. */
const toolVariables = (p: ServicePipeline): Record<string, string> => checkToolchain(p.setup, p.service).variables;

/** Every template by name, resolved (for computing thin jobs). */
export function templatesByName(files: TemplateFile[]): Record<string, Obj> {
  return Object.fromEntries(files.flatMap((f) => f.jobs.map((j) => [j.name, j.job as Obj])));
}

/** Rules hidden jobs and check toolchain of one service: names. */
export const serviceHidden = (svc: string) => ({
  onChange: `.${svc}:on-change`,
  onDefaultBranch: `.${svc}:on-default-branch`,
  toolchain: `.${svc}:toolchain`,
});

/** What each whole job extends: its template and the service's rules. */
function parentsOf(job: string, p: ServicePipeline, hidden: ReturnType<typeof serviceHidden>): string[] {
  switch (job) {
    case 'lint':
    case 'test':
      return [hidden.toolchain];
    case 'prebuild':
      return [checksTemplate(p), hidden.onChange];
    case 'image':
      return ['.image-build', hidden.onChange];
    case 'scan':
      return ['.image-scan', hidden.onChange];
    case 'push':
      return ['.image-push', hidden.onDefaultBranch];
    case 'sign':
      return ['.image-sign', hidden.onDefaultBranch];
    case 'promote-staging':
      return ['.promote-staging', hidden.onDefaultBranch];
    default:
      throw new Error(`no template for ${p.service}:${job}`);
  }
}

/** One-line comments of thin jobs (the templates carry the long ones). */
const THIN_COMMENT: Record<string, (p: ServicePipeline) => string> = {
  prebuild: () => 'Build output the Dockerfile copies (services[].commands.prebuild), passed to the image job as untracked files.',
  image: (p) => `Image of ${p.service} (.image-build)${p.image.workspace ? ': the build context is the workspace root (lockfile and shared packages)' : ''}.`,
  scan: () => 'Trivy scan of the archive and its SBOM (.image-scan).',
  push: () => 'Push by digest, default branch only (.image-push).',
  sign: () => 'cosign keyless signature and SBOM attestation (.image-sign).',
  'promote-staging': () => 'Staging promotion merge request (.promote-staging); one at a time per service.',
};

/**
 * A service's file, thin: two hidden rule sets (its path filter, for checks and builds, and for
 * the default branch's publishing), a toolchain shared by its check jobs, then one job per
 * step extending a template. Checked against the whole jobs: a thin job that would not merge
 * back into its whole job is an error here, never a different pipeline.
 */
export function thinServiceJobs(p: ServicePipeline, ctx: GitlabContext, templates: Record<string, Obj>): WrittenNamedJob[] {
  const svc = p.service;
  const hidden = serviceHidden(svc);
  const trigger = serviceTrigger(p);
  const whole: NamedJob[] = serviceJobs(p, ctx);
  const defs: Record<string, Obj> = { ...templates };
  const out: WrittenNamedJob[] = [];
  const add = (name: string, comment: string[], job: WrittenJob) => {
    defs[name] = job as Obj;
    out.push({ name, comment, job });
  };

  add(hidden.onChange, [
    trigger.paths
      ? `When ${svc}'s checks and image build run: merge requests, ${p.defaultBranch} and other branches that change its paths.`
      : `When ${svc}'s checks and image build run: every merge request and branch (the service is the repository root).`,
  ], { rules: checkRules(trigger) });
  add(hidden.onDefaultBranch, [`When ${svc}'s image is pushed, signed${p.promote ? ' and promoted' : ''}: ${p.defaultBranch} only, same paths.`], { rules: publishRules(trigger) });

  const checks = whole.filter((j) => p.checks.some((c) => j.name === `${svc}:${c.id}`));
  if (checks.length) {
    // What the check jobs share beyond the template: image, folders, cache, install.
    const shared: Obj = {};
    const firstJob = checks[0]!.job as unknown as Obj;
    for (const key of ['image', 'variables', 'cache', 'before_script'] as const) {
      const v = firstJob[key];
      if (v === undefined) continue;
      if (key === 'variables') {
        const vars = Object.fromEntries(Object.entries(v as Record<string, string>).filter(([k, x]) => checks.every((c) => c.job.variables?.[k] === x)));
        if (Object.keys(vars).length) shared[key] = vars;
      } else if (checks.every((c) => sameData((c.job as unknown as Obj)[key], v))) {
        shared[key] = v;
      }
    }
    const parents = [checksTemplate(p), hidden.onChange];
    const base = resolveExtends({ ...defs, '.': { extends: parents } })['.']!;
    add(hidden.toolchain, [`${svc}'s check jobs: toolchain image, folders, dependency cache and install.`], { extends: parents, ...thinOverlay(mergeOver(base, shared), base, hidden.toolchain) });
  }

  for (const j of whole) {
    const step = j.name.slice(svc.length + 1);
    const parents = parentsOf(step, p, hidden);
    const base = resolveExtends({ ...defs, '.': { extends: parents } })['.']!;
    const job: WrittenJob = { extends: parents.length === 1 ? parents[0]! : parents, ...thinOverlay(j.job as unknown as Obj, base, j.name) };
    const comment = step === 'lint' || step === 'test' ? j.comment : [THIN_COMMENT[step]!(p)];
    out.push({ name: j.name, comment, job });
    defs[j.name] = job as Obj;
  }
  // The proof, every time: each thin job merges back into its whole job.
  const resolved = resolveExtends(defs);
  for (const j of whole) {
    if (!sameData(resolved[j.name], j.job)) throw new Error(`${j.name}: the thin job does not merge back into the whole job`);
  }
  return out;
}
