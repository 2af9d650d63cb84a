import { pipelineFile } from '../../model/pipeline-files.js';
import { shellWord } from '../../render/quote.js';
import type { DriftCheckPipeline, PreviewImagesPipeline, ProductionPromotionPipeline, RegistryLogin, RulesPipeline, SecurityPipeline } from '../../model/types.js';
import { buildJob, imageFiles, pushJob, scanJob } from './image-jobs.js';
import { CHECK_NODE_IMAGE, GITLAB_IMAGES, kustomizeImage } from './images.js';
import { registryAccess } from './registry.js';
import { IF, checkRules } from './rules.js';
import type { GitlabContext } from './service.js';
import type { Job, NamedJob, Rule } from './types.js';

/** Repository-wide pipelines: security, the drift check, production promotion, previews, SLO rules. */

const tagsOf = (ctx: GitlabContext) => (ctx.tags ? { tags: ctx.tags } : {});

/**
 * gitleaks (the MIT CLI from its pinned image; no licence or paid tier) over the commits a
 * merge request adds, or the whole history on branches and schedules; Trivy over every
 * dependency lockfile in the repository (GitLab's own dependency scanning needs Ultimate).
 */
export function securityJobs(p: SecurityPipeline, ctx: GitlabContext, trivyImage: string = GITLAB_IMAGES.trivy): NamedJob[] {
  return [
    {
      name: 'secrets',
      comment: [
        'Committed secrets (gitleaks). Allow known false positives in .gitleaksignore; configure rules in .gitleaks.toml.',
        'Merge requests: only the commits they add. Branches and the weekly schedule: all history.',
      ],
      job: {
        stage: 'test',
        image: { name: p.gitleaksImage, entrypoint: [''] },
        needs: [],
        timeout: '10m',
        interruptible: true,
        ...tagsOf(ctx),
        // Full history: gitleaks scans commits, not just the checked-out files.
        variables: { GIT_DEPTH: '0' },
        script: [
          [
            'git config --global --add safe.directory "$CI_PROJECT_DIR"',
            'set --',
            'if [ "$CI_PIPELINE_SOURCE" = "merge_request_event" ]; then',
            '  set -- "--log-opts=$CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA"',
            'fi',
            'gitleaks git --redact --no-banner --exit-code 1 "$@" "$CI_PROJECT_DIR"',
          ].join('\n'),
        ],
      },
    },
    {
      name: 'dependencies',
      comment: ['Known vulnerabilities in the dependency lockfiles (Trivy filesystem scan): fixable CRITICAL or HIGH fail.'],
      job: {
        stage: 'test',
        image: { name: trivyImage, entrypoint: [''] },
        needs: [],
        timeout: '10m',
        interruptible: true,
        ...tagsOf(ctx),
        variables: { TRIVY_CACHE_DIR: '.cache/trivy', TRIVY_NO_PROGRESS: 'true' },
        cache: [{ key: 'trivy-db', paths: ['.cache/trivy'] }],
        script: ['trivy fs --scanners vuln --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1 --skip-dirs .cache .'],
      },
    },
  ];
}

/** `devops-init check` with the version that wrote the lock, so renders compare equal. */
export function driftCheckJobs(p: DriftCheckPipeline, ctx: GitlabContext): NamedJob[] {
  return [
    {
      name: 'devops-check',
      comment: ['Fails when a file devops-init manages no longer matches what devops.yaml renders (devops.yaml', 'changed without `devops-init sync`, or a generated file is missing).'],
      job: {
        stage: 'test',
        image: CHECK_NODE_IMAGE,
        needs: [],
        rules: [{ if: IF.schedule, when: 'never' }, { when: 'on_success' }],
        timeout: '5m',
        interruptible: true,
        ...tagsOf(ctx),
        variables: { DEVOPS_INIT_VERSION: p.toolVersion },
        // The repository's lockfile-pinned devops-init when it has one, else the exact version.
        script: [p.script],
      },
    },
  ];
}

/** What the production promotion verifies before it opens the merge request. */
export interface PromotionVerify {
  /** The registry the signatures are read from (the release identity's login). */
  registry: RegistryLogin;
  /** The GitLab instance URL: the OIDC issuer of the signing certificate. */
  issuer: string;
  /** Fulcio's certificate identity for the signing jobs: the root CI config on the default branch. */
  identity: string;
}

/**
 * The keyless signer of this project's images: Fulcio puts GitLab's `ci_config_ref_uri` claim
 * (`<host>/<project path>//<root CI config>@<ref>`) behind `https://` in the certificate. The
 * root config is `.gitlab-ci.yml` unless the project sets another CI configuration path.
 */
export const gitlabSignerIdentity = (url: string, projectPath: string, branch: string): string => `${url}/${projectPath}//.gitlab-ci.yml@refs/heads/${branch}`;

/**
 * Production: two jobs per service, on the default branch.
 *
 * `promote-production:<service>` is the manual one. It deploys to the protected `production`
 * environment, so only the people the environment allows can run it; it reads the digest
 * staging runs (kustomize image), pins it in the production overlay and hands the overlay file
 * and the digest (dotenv) to the next job. It holds no credential.
 *
 * `promote-production:<service>:merge-request` then verifies that digest's cosign signature
 * (the signer must be this project's CI on the default branch) in the Alpine image the sign job
 * uses, and only then commits and opens the merge request. Merging it is the deploy; reverting
 * it is the rollback. Two jobs because no pinned image here has both kustomize and cosign.
 */
export function productionPromotionJobs(p: ProductionPromotionPipeline, ctx: GitlabContext, verify: PromotionVerify): NamedJob[] {
  const pin = [
    'staging="$GITOPS_DIR/$SERVICE/overlays/staging"',
    'production="$GITOPS_DIR/$SERVICE/overlays/production"',
    '# Read the digest from what staging renders, so no YAML parsing is needed.',
    'digest=$(kustomize build "$staging" | grep -oE \'[^[:space:]"]+@sha256:[0-9a-f]{64}\' | sort -u \\',
    '  | while read -r ref; do if [ "${ref%@*}" = "$IMAGE" ]; then echo "${ref#*@}"; fi; done | head -n 1)',
    'if [ -z "$digest" ] || [ "$digest" = "$UNPROMOTED" ]; then',
    '  echo "Staging pins no image digest for $SERVICE yet: nothing to promote." >&2',
    '  exit 1',
    'fi',
    '(cd "$production" && kustomize edit set image "$IMAGE=$IMAGE@$digest")',
    '# Fail here, not in Argo CD, if the overlay no longer builds.',
    'kustomize build "$production" > /dev/null',
    'mkdir -p "$(dirname "$PROMOTE_ENV")"',
    'echo "PROMOTE_DIGEST=$digest" > "$PROMOTE_ENV"',
    'echo "Staging runs $IMAGE@$digest: the next job verifies its signature before it opens the merge request."',
  ].join('\n');
  const open = [
    'if [ -z "${PROMOTION_TOKEN:-}" ]; then',
    '  echo "PROMOTION_TOKEN is not set: add a project access token (api, write_repository) as a masked, protected CI/CD variable (docs/gitops.md)." >&2',
    '  exit 1',
    'fi',
    'if [ -z "${PROMOTE_DIGEST:-}" ]; then',
    '  echo "No digest from the promote-production:$SERVICE job: run that job, not this one." >&2',
    '  exit 1',
    'fi',
    '# Promote only what this project\'s CI built and signed on the default branch (fail closed).',
    'if ! cosign verify "$IMAGE@$PROMOTE_DIGEST" \\',
    '  --certificate-oidc-issuer "$SIGNER_ISSUER" \\',
    '  --certificate-identity "$SIGNER_IDENTITY" > /dev/null; then',
    '  echo "Not promoting $IMAGE@$PROMOTE_DIGEST: it has no valid cosign signature by $SIGNER_IDENTITY (issuer $SIGNER_ISSUER)." >&2',
    '  echo "Only images this project\'s CI pushed and signed on $CI_DEFAULT_BRANCH reach production; check what staging runs." >&2',
    '  exit 1',
    'fi',
    'echo "Verified: $IMAGE@$PROMOTE_DIGEST was signed by $SIGNER_IDENTITY."',
    'git config --global --add safe.directory "$CI_PROJECT_DIR"',
    'production="$GITOPS_DIR/$SERVICE/overlays/production"',
    'if git diff --quiet -- "$production/kustomization.yaml"; then',
    '  echo "Production already runs $PROMOTE_DIGEST: nothing to promote."',
    '  exit 0',
    'fi',
    'short=$(printf \'%.12s\' "${PROMOTE_DIGEST#sha256:}")',
    'git -c user.name="devops-init promotion" -c user.email="noreply@$CI_SERVER_HOST" \\',
    '  commit -m "deploy(production): promote $SERVICE $short" -- "$production/kustomization.yaml"',
    'auth=$(printf \'oauth2:%s\' "$PROMOTION_TOKEN" | base64 | tr -d \'\\n\')',
    'git -c http.extraHeader="Authorization: Basic $auth" push --force \\',
    '  -o merge_request.create \\',
    '  -o merge_request.target="$CI_DEFAULT_BRANCH" \\',
    '  -o merge_request.remove_source_branch \\',
    '  -o merge_request.title="deploy(production): promote $SERVICE $short" \\',
    '  -o merge_request.description="Promotes $SERVICE to production with $PROMOTE_DIGEST, the digest staging runs. CI verified its cosign signature (signed by this project\'s CI on $CI_DEFAULT_BRANCH). Before merging, check in Argo CD that the staging Application of $SERVICE is Synced and Healthy at this digest: CI has no cluster credentials. Merging deploys it; revert the merge to roll back." \\',
    '  -o merge_request.label=promotion \\',
    '  "$CI_SERVER_URL/$CI_PROJECT_PATH.git" "HEAD:refs/heads/promote/$SERVICE"',
  ].join('\n');
  const access = registryAccess(verify.registry, ctx.url);
  return p.services.flatMap((svc): NamedJob[] => {
    const manual = `promote-production:${svc.name}`;
    const env = `ci-artifacts/promote-${svc.name}/promote.env`;
    const overlay = `${p.dir}/${svc.name}/overlays/production/kustomization.yaml`;
    return [
      {
        name: manual,
        comment: [
          `Promote ${svc.name} from staging to production (manual; gated by the protected production environment):`,
          'pin the digest staging runs in the production overlay. The next job verifies it and opens the merge request.',
        ],
        job: {
          stage: 'deploy',
          image: { name: kustomizeImage(p.kustomizeVersion), entrypoint: [''] },
          needs: [],
          // Not allow_failure: false — an unstarted manual job must not hold the pipeline as "blocked".
          rules: [
            { if: IF.schedule, when: 'never' },
            { if: IF.defaultBranch, when: 'manual', allow_failure: true },
          ],
          timeout: '10m',
          interruptible: false,
          ...tagsOf(ctx),
          environment: { name: 'production', deployment_tier: 'production' },
          variables: { SERVICE: svc.name, IMAGE: svc.image, GITOPS_DIR: p.dir, UNPROMOTED: p.unpromoted, PROMOTE_ENV: env },
          script: [pin],
          artifacts: { paths: [overlay], reports: { dotenv: env }, expire_in: '1 day' },
        },
      },
      {
        name: `${manual}:merge-request`,
        comment: [
          `Verify the cosign signature of the digest ${manual} pinned (this project's CI on the default branch),`,
          'then open the production merge request. Runs only after that manual job; one promotion per service at a time.',
        ],
        job: {
          stage: 'deploy',
          image: GITLAB_IMAGES.alpine,
          needs: [{ job: manual, artifacts: true }],
          rules: [
            { if: IF.schedule, when: 'never' },
            { if: IF.defaultBranch },
          ],
          timeout: '10m',
          interruptible: false,
          resource_group: `promote-production-${svc.name}`,
          ...tagsOf(ctx),
          variables: { SERVICE: svc.name, IMAGE: svc.image, GITOPS_DIR: p.dir, SIGNER_ISSUER: verify.issuer, SIGNER_IDENTITY: verify.identity, ...access.variables },
          ...(Object.keys(access.idTokens).length ? { id_tokens: access.idTokens } : {}),
          // Signatures are read with the release identity's login (it trusts default-branch jobs); nothing is pushed to the registry.
          before_script: [`apk add --no-cache ${['cosign', 'git', ...access.packages].join(' ')}`, access.login],
          script: [open],
        },
      },
    ];
  });
}

/**
 * Review apps: for a merge request labelled "preview" (from this project, not a fork), build,
 * scan and push every service from the head commit as sha-<7 characters of the head SHA> — the
 * tag Argo CD's preview ApplicationSet deploys — and record the GitLab environment
 * preview/mr-<IID>, whose stop job runs when the source branch is deleted.
 */
export function previewJobs(p: PreviewImagesPipeline, ctx: GitlabContext, gitlabUrl: string): NamedJob[] {
  const labelled = `${IF.mergeRequest} && $CI_MERGE_REQUEST_LABELS =~ /(^|,)${p.label}(,|$)/ && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_MERGE_REQUEST_PROJECT_ID`;
  const rules: Rule[] = [{ if: labelled }];
  const environment = 'preview/mr-$CI_MERGE_REQUEST_IID';
  const jobs: NamedJob[] = [];
  const pushes: string[] = [];
  for (const s of p.services) {
    const key = `preview-${s.service}`;
    const files = imageFiles(key);
    const build = `preview:${s.service}:image`;
    const scan = `preview:${s.service}:scan`;
    const push = `preview:${s.service}:push`;
    pushes.push(push);
    jobs.push(
      { name: build, comment: [`Preview image of ${s.service}, built from the merge request's head.`], job: buildJob({ context: s.context, dockerfile: s.file, namedContexts: s.namedContexts(), cacheKey: key, files, needs: [], rules, ...tagsOf(ctx) }) },
      { name: scan, comment: ['The scan is the gate: nothing unscanned is pushed.'], job: scanJob({ files, build, rules, sbom: false, ...tagsOf(ctx) }) },
      {
        name: push,
        comment: ['Tagged with the head commit (merged results pipelines check out a merge commit; the tag still names the head, which Argo CD deploys).'],
        job: pushJob({
          image: s.image,
          tag: `${p.tag.prefix}$(printf '%.${p.tag.shortShaLength}s' "\${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-$CI_COMMIT_SHA}")`,
          files,
          build,
          scan,
          registry: p.registry,
          // A preview push runs on a merge request branch, with untrusted code: the preview identity
          // (iac's preview role, else the CI/CD variable docs/gitops.md names), never the release one.
          identity: 'preview',
          gitlabUrl,
          rules,
          digest: false,
          ...tagsOf(ctx),
        }),
      },
    );
  }
  const review: Job = {
    stage: 'deploy',
    image: GITLAB_IMAGES.alpine,
    needs: pushes.map((job) => ({ job, artifacts: false })),
    rules,
    timeout: '5m',
    interruptible: true,
    ...tagsOf(ctx),
    environment: { name: environment, on_stop: 'preview:stop', auto_stop_in: '2 weeks', deployment_tier: 'development' },
    variables: { GIT_STRATEGY: 'none', PROJECT: ctx.project },
    script: ['echo "Argo CD deploys this merge request as the Application $PROJECT-pr-$CI_MERGE_REQUEST_IID in namespace $PROJECT-pr-$CI_MERGE_REQUEST_IID."'],
  };
  jobs.push(
    { name: 'preview:deploy', comment: ['The review app: Argo CD\'s merge-request generator creates it from the same label; this records it as a GitLab environment.'], job: review },
    {
      name: 'preview:stop',
      comment: [
        'Stops the environment. Argo CD deletes the Application and its namespace when the merge request is',
        'closed or merged, or the label is removed; GitLab runs this job when the source branch is deleted.',
      ],
      job: {
        stage: 'deploy',
        image: GITLAB_IMAGES.alpine,
        needs: [],
        rules: [{ if: labelled, when: 'manual', allow_failure: true }],
        timeout: '5m',
        interruptible: false,
        ...tagsOf(ctx),
        environment: { name: environment, action: 'stop' },
        variables: { GIT_STRATEGY: 'none' },
        script: ['echo "Remove the preview label or close the merge request: Argo CD then deletes the preview."'],
      },
    },
  );
  return jobs;
}

/** promtool and amtool from the official images, when monitoring files change. */
export function sloRuleJobs(p: RulesPipeline, ctx: GitlabContext): NamedJob[] {
  const rules = checkRules({ paths: ['monitoring/**/*', pipelineFile('gitlab', p.id)], defaultBranch: p.defaultBranch, skipPromotionMerges: false });
  const jobs: NamedJob[] = [];
  if (p.hasRules) {
    jobs.push({
      name: 'slo-rules:promtool',
      comment: ['Check the SLO rules and run their unit tests (fast burn pages, slow burn tickets, quiet traffic stays quiet).'],
      job: {
        stage: 'test',
        image: { name: p.prometheusImage, entrypoint: [''] },
        needs: [],
        rules,
        timeout: '10m',
        interruptible: true,
        ...tagsOf(ctx),
        // The rules exist once, as PrometheusRules: the script extracts their groups for promtool.
        script: ['sh monitoring/promtool.sh'],
      },
    });
  }
  jobs.push({
    name: 'slo-rules:amtool',
    comment: ['Check the Alertmanager config and that each kind of alert reaches the receiver it should.'],
    job: {
      stage: 'test',
      image: { name: p.alertmanagerImage, entrypoint: [''] },
      needs: [],
      rules,
      timeout: '10m',
      interruptible: true,
      ...tagsOf(ctx),
      variables: { CONFIG: 'monitoring/alertmanager/alertmanager.yml' },
      script: [
        'amtool check-config "$CONFIG"',
        ...p.routeTests.map((t) => ['amtool config routes test --config.file="$CONFIG"', `--verify.receivers=${shellWord(t.receiver)}`, ...t.labels.map(shellWord)].join(' ')),
      ],
    },
  });
  return jobs;
}
