import { pipelineFile } from '../../model/pipeline-files.js';
import type { ServicePipeline } from '../../model/types.js';
import { buildJob, pushJob, scanJob, SERVICE_IMAGE_FILES, signJob } from './image-jobs.js';
import { kustomizeImage } from './images.js';
import { checkRules, publishRules, type Trigger } from './rules.js';
import { checkToolchain } from './toolchain.js';
import type { Job, NamedJob } from './types.js';

/** Context every GitLab job builder needs beyond its pipeline. */
export interface GitlabContext {
  /** Runner tags from devops.yaml (undefined: any runner). */
  tags?: string[];
  /** The GitLab instance URL. */
  url: string;
  /** devops.yaml's project name (preview namespaces are `<project>-pr-<IID>`). */
  project: string;
}

/** `<folder>/**` of each named build context of the service's image. */
function contextPaths(p: ServicePipeline): string[] {
  return Object.values(p.image.namedContexts()).map((dir) => `${dir}/**`).sort();
}

/** The path filter of a service pipeline: its own paths and file; merged promotions skipped where paths cannot tell. */
export function serviceTrigger(p: ServicePipeline): Trigger {
  const self = pipelineFile('gitlab', p.id);
  const inFolder = p.paths === undefined || p.ignorePaths.some((x) => x.startsWith(`${p.setup.serviceDir}/`));
  return {
    // A named build context's folder (the OpenTelemetry lock) is an input of the image too.
    ...(p.paths ? { paths: [...new Set([p.paths[0]!, self, ...p.paths.slice(1), ...contextPaths(p)])] } : {}),
    defaultBranch: p.defaultBranch,
    skipPromotionMerges: inFolder && p.ignorePaths.length > 0,
  };
}

/**
 * Promotion to staging: pin the new digest in the staging overlay with `kustomize edit set image`
 * (the layout devops-init writes, so `sync` merges around the one changed line), push a
 * `promote-staging/<service>` branch and open a merge request with GitLab's push options, using
 * PROMOTION_TOKEN (a project access token: the job token can neither push nor open merge
 * requests, and a push with it would start no pipeline on the merge request). A force-push to
 * the branch of a promotion still open updates that merge request; that GitLab then creates no
 * second one is assumed from its push-options docs, not tried here.
 */
const PROMOTE_STAGING_SCRIPT = [
  'if [ -z "${PROMOTION_TOKEN:-}" ]; then',
  '  echo "PROMOTION_TOKEN is not set: add a project access token (api, write_repository) as a masked, protected CI/CD variable (docs/gitops.md)." >&2',
  '  exit 1',
  'fi',
  'git config --global --add safe.directory "$CI_PROJECT_DIR"',
  '(cd "$OVERLAY" && kustomize edit set image "$IMAGE=$IMAGE@$IMAGE_DIGEST" && kustomize build . > /dev/null)',
  'if git diff --quiet -- "$OVERLAY/kustomization.yaml"; then',
  '  echo "Staging already pins $IMAGE_DIGEST: nothing to promote."',
  '  exit 0',
  'fi',
  'short=$(printf \'%.12s\' "${IMAGE_DIGEST#sha256:}")',
  'git -c user.name="devops-init promotion" -c user.email="noreply@$CI_SERVER_HOST" \\',
  '  commit -m "deploy(staging): $SERVICE $IMAGE_DIGEST" -- "$OVERLAY/kustomization.yaml"',
  'auth=$(printf \'oauth2:%s\' "$PROMOTION_TOKEN" | base64 | tr -d \'\\n\')',
  'git -c http.extraHeader="Authorization: Basic $auth" push --force \\',
  '  -o merge_request.create \\',
  '  -o merge_request.target="$CI_DEFAULT_BRANCH" \\',
  '  -o merge_request.remove_source_branch \\',
  '  -o merge_request.title="deploy(staging): $SERVICE $short" \\',
  '  -o merge_request.label=promotion \\',
  '  "$CI_SERVER_URL/$CI_PROJECT_PATH.git" "HEAD:refs/heads/$BRANCH"',
].join('\n');

const withVariables = (job: Job, first: Record<string, string>): Job => ({ ...job, variables: { ...first, ...job.variables } });

/** Every job of one service's pipeline, in the order they run, whole (thin.ts writes them as extensions of the templates). */
export function serviceJobs(p: ServicePipeline, ctx: GitlabContext): NamedJob[] {
  const svc = p.service;
  const name = (job: string): string => `${svc}:${job}`;
  const trigger = serviceTrigger(p);
  const checks = checkRules(trigger);
  const publish = publishRules(trigger);
  const tags = ctx.tags ? { tags: ctx.tags } : {};
  const tool = checkToolchain(p.setup, svc);
  const files = SERVICE_IMAGE_FILES;
  const jobs: NamedJob[] = [];

  // services[].testServices: beside the test job only, reachable by name; the job's variables
  // (their test credentials, <NAME>_HOST and <NAME>_PORT) reach the tests and the containers.
  const testServices = p.testServices ?? [];
  const testEnv: Record<string, string> = {};
  for (const s of testServices) {
    Object.assign(testEnv, s.env ?? {});
    const key = s.name.toUpperCase().replace(/-/g, '_');
    testEnv[`${key}_HOST`] = s.name;
    if (s.port) testEnv[`${key}_PORT`] = String(s.port);
  }
  const install = p.install.command.trim();

  for (const c of p.checks) {
    const withServices = c.id === 'test' && testServices.length > 0;
    const job: Job = {
      stage: 'test',
      image: tool.image,
      needs: [],
      rules: checks,
      timeout: `${c.timeoutMinutes}m`,
      interruptible: true,
      ...tags,
      ...(withServices ? { services: testServices.map((s) => ({ name: s.image, alias: s.name })) } : {}),
      variables: { SERVICE_DIR: p.setup.serviceDir, INSTALL_DIR: p.install.dir ?? p.setup.serviceDir, ...tool.variables, ...(withServices ? testEnv : {}) },
      ...(tool.cache ? { cache: [tool.cache] } : {}),
      before_script: [
        // A service at the root lints the whole checkout, caches included: ignore them (git, ruff
        // and most linters honour .gitignore; Go skips dot folders by itself).
        ...(p.setup.serviceDir === '.' ? ['mkdir -p .cache && echo "*" > .cache/.gitignore'] : []),
        ...tool.setup,
        ...(install ? ['cd "$CI_PROJECT_DIR/$INSTALL_DIR"', install] : []),
        'cd "$CI_PROJECT_DIR/$SERVICE_DIR"',
      ],
      script: [c.command],
    };
    jobs.push({ name: name(c.id), comment: [`${c.title} ${svc} (in ${p.setup.serviceDir}${p.install.dir ? `; dependencies installed at the workspace root ${p.install.dir}` : ''}).`], job });
  }

  if (p.image.prebuild) {
    jobs.push({
      name: name('prebuild'),
      comment: [
        'The Dockerfile copies build output (services[].commands.prebuild): build it in the toolchain image first;',
        'the image job gets the untracked files it wrote as artifacts (dependencies and caches excluded).',
      ],
      job: {
        stage: 'test',
        image: tool.image,
        needs: [],
        rules: checks,
        timeout: '15m',
        interruptible: true,
        ...tags,
        variables: { CONTEXT: p.image.context, INSTALL_DIR: p.install.dir ?? p.setup.serviceDir, ...tool.variables },
        ...(tool.cache ? { cache: [tool.cache] } : {}),
        before_script: [...tool.setup, ...(install ? ['cd "$CI_PROJECT_DIR/$INSTALL_DIR"', install] : [])],
        script: ['cd "$CI_PROJECT_DIR/$CONTEXT"', p.image.prebuild],
        artifacts: { untracked: true, exclude: ['**/node_modules/**', '.cache/**', 'ci-artifacts/**'], expire_in: '1 day' },
      },
    });
  }
  jobs.push({
    name: name('image'),
    comment: [
      'Build the image with BuildKit, rootless and daemonless (no Docker-in-Docker, no privileged runner),',
      'into an OCI archive the next jobs scan and push. BuildKit\'s layer cache is kept in the GitLab cache.',
      ...(p.image.workspace ? ['Workspace member: the build context is the workspace root (lockfile and shared packages).'] : []),
    ],
    job: withVariables(
      buildJob({
        context: p.image.context,
        dockerfile: p.image.dockerfile,
        namedContexts: p.image.namedContexts(),
        // One layer cache per service (cache:key expands the job's variables), in one folder.
        cacheKey: '$SERVICE',
        cacheDir: '.cache/buildkit',
        files,
        needs: [...p.checks.map((c) => ({ job: name(c.id), artifacts: false })), ...(p.image.prebuild ? [{ job: name('prebuild'), artifacts: true }] : [])],
        rules: checks,
        ...tags,
      }),
      { SERVICE: svc },
    ),
  });
  jobs.push({
    name: name('scan'),
    comment: ['Scan the archive with Trivy: fixable CRITICAL or HIGH vulnerabilities fail the pipeline, so nothing is pushed.', 'Also writes the CycloneDX SBOM the sign job attests.'],
    job: scanJob({ files, build: name('image'), rules: checks, sbom: true, ...tags }),
  });
  jobs.push({
    name: name('push'),
    comment: [
      `${p.defaultBranch} only: push the scanned archive unchanged as the immutable tag sha-<commit SHA>;`,
      'its digest goes to the sign and promotion jobs as a dotenv report (IMAGE_DIGEST).',
    ],
    job: pushJob({
      image: p.image.repository,
      tag: 'sha-$CI_COMMIT_SHA',
      files,
      build: name('image'),
      scan: name('scan'),
      registry: p.registry,
      gitlabUrl: ctx.url,
      rules: publish,
      digest: true,
      ...tags,
    }),
  });
  jobs.push({
    name: name('sign'),
    comment: [
      'Keyless cosign signature and SBOM attestation of the pushed digest, with the job\'s OIDC identity.',
      `Verify: cosign verify --certificate-oidc-issuer ${ctx.url} \\`,
      `  --certificate-identity "${ctx.url}/<project path>//.gitlab-ci.yml@refs/heads/${p.defaultBranch}" ${p.image.repository}@<digest>`,
    ],
    job: signJob({ image: p.image.repository, files, push: name('push'), scan: name('scan'), registry: p.registry, gitlabUrl: ctx.url, rules: publish, ...tags }),
  });

  if (p.promote) {
    jobs.push({
      name: name('promote-staging'),
      comment: [
        'Pin the signed digest in the staging overlay and open a merge request; merging it deploys staging (Argo CD).',
        'One promotion per service at a time (resource_group), never cancelled half-way.',
      ],
      job: {
        stage: 'deploy',
        image: { name: kustomizeImage(p.promote.kustomizeVersion), entrypoint: [''] },
        needs: [
          { job: name('push'), artifacts: true },
          { job: name('sign'), artifacts: false },
        ],
        rules: publish,
        timeout: '10m',
        interruptible: false,
        resource_group: `promote-staging-${svc}`,
        ...tags,
        environment: { name: 'staging', deployment_tier: 'staging' },
        variables: { SERVICE: svc, IMAGE: p.image.repository, OVERLAY: p.promote.overlayDir, BRANCH: p.promote.branch },
        script: [PROMOTE_STAGING_SCRIPT],
      },
    });
  }
  return jobs;
}
