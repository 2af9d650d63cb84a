import { pipelineFile } from '../../model/pipeline-files.js';
import type { InfraApplyPipeline, InfraDriftPipeline, InfraPipelineEnvironment, InfraPlanPipeline } from '../../model/types.js';
import { GITLAB_IMAGES } from './images.js';
import { IF } from './rules.js';
import type { GitlabContext } from './service.js';
import type { Job, NamedJob, Rule } from './types.js';

/**
 * The infrastructure pipelines on GitLab CI: plan on merge requests, a manual apply per
 * environment on the default branch, the nightly drift check. The same steps as the GitHub
 * workflows; what differs is GitLab's: the ID token (`id_tokens`) the AWS SDK inside Terraform
 * exchanges for the role (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, so no AWS CLI is needed),
 * protected environments instead of required reviewers, `resource_group` instead of
 * `concurrency`, the merge request widget's Terraform report instead of a comment, and the
 * drift issue through the REST API with a project access token.
 *
 * The scripts are kept here as text so tests can run them (the drift step with a fake
 * `terraform`, the issue report with a fake `curl`).
 */

/** The official Terraform image (Alpine; its entrypoint is terraform, so it is cleared). */
export const terraformImage = (version: string): Job['image'] => ({ name: `hashicorp/terraform:${version}`, entrypoint: [''] });

/** The CI/CD variable the drift report reads: a project access token (api scope, Reporter role). */
export const DRIFT_TOKEN_VARIABLE = 'INFRA_DRIFT_TOKEN';
/** The variable a pipeline schedule (or a manual pipeline) sets to run the drift check. */
export const DRIFT_SCHEDULE_VARIABLE = 'INFRA_DRIFT';
/** The label the drift issue carries (created with the issue when missing). */
export const DRIFT_LABEL = 'infra-drift';

const tagsOf = (ctx: GitlabContext) => (ctx.tags ? { tags: ctx.tags } : {});

const TF_VARIABLES = { TF_IN_AUTOMATION: 'true', TF_INPUT: 'false' };

/**
 * The job's ID token in a file, for the AWS SDK's web-identity credentials (the provider and
 * the S3 backend both read AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME).
 */
export const AWS_LOGIN = [
  '# AssumeRoleWithWebIdentity by the AWS SDK inside Terraform: the ID token in a file (unverified offline).',
  'AWS_WEB_IDENTITY_TOKEN_FILE=$(mktemp)',
  'printf \'%s\' "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"',
  'export AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_REGION',
  'export AWS_ROLE_SESSION_NAME="gitlab-$CI_PROJECT_ID-$CI_JOB_ID"',
].join('\n');

const LOCK_FILE_CHECK = [
  'if [ ! -f .terraform.lock.hcl ]; then',
  '  echo "No .terraform.lock.hcl in $TF_ROOT: run terraform providers lock there and commit it (docs/infrastructure.md)." >&2',
  '  exit 1',
  'fi',
  '# Provider builds pinned by the committed lock file; never rewritten in CI.',
  'terraform init -input=false -lockfile=readonly',
].join('\n');

/**
 * The plan's text for people and the merge request widget's report, the JSON
 * `{"create": n, "update": n, "delete": n}` of `artifacts:reports:terraform`
 * (https://docs.gitlab.com/user/infrastructure/iac/mr_integration/). The counts come from the
 * plan's summary line (a replacement counts as one add and one destroy, as Terraform counts it),
 * not from `terraform show -json`, which would print sensitive values in clear.
 */
export const PLAN_SCRIPT = [
  'terraform plan -input=false -lock-timeout=5m -no-color -out=tfplan',
  'terraform show -no-color tfplan > "$CI_PROJECT_DIR/plan-$ENVIRONMENT.txt"',
  'summary=$(grep -E \'^(Plan:|No changes\\.)\' "$CI_PROJECT_DIR/plan-$ENVIRONMENT.txt" | head -n 1 || true)',
  'echo "$ENVIRONMENT: ${summary:-see the plan above}"',
  'count() { printf \'%s\\n\' "$summary" | grep -oE "[0-9]+ to $1" | grep -oE \'^[0-9]+\' || echo 0; }',
  'printf \'{"create":%d,"update":%d,"delete":%d}\\n\' "$(count add)" "$(count change)" "$(count destroy)" > "$CI_PROJECT_DIR/plan-$ENVIRONMENT.json"',
].join('\n');

/**
 * The drift step: exit code 0 = clean, 2 = drift, anything else = error (drift unknown). The
 * job's shell stops at the first failing command, so the plan's code is caught with `||`.
 */
export const DRIFT_SCRIPT = [
  'mkdir -p "$CI_PROJECT_DIR/drift"',
  'out="$CI_PROJECT_DIR/drift/drift-$ENVIRONMENT"',
  'code=0',
  'terraform plan -input=false -lock=false -detailed-exitcode -no-color > "$out.plan" 2>&1 || code=$?',
  'cat "$out.plan"',
  'case "$code" in',
  '  0) status=clean ;;',
  '  2) status=drift ;;',
  '  *) status=error ;;',
  'esac',
  'echo "$status" > "$out.status"',
  'echo "$ENVIRONMENT: $status"',
  'if [ "$status" = error ]; then',
  '  echo "terraform plan failed (exit $code) in $ENVIRONMENT: drift unknown" >&2',
  '  exit 1',
  'fi',
].join('\n');

/**
 * The drift report: one issue (labelled, found again by its marker), opened or updated on
 * drift, commented and closed when every environment is clean, left alone when a plan failed.
 * GitLab caps an issue description at 1,048,576 characters: plans are cut by characters (jq
 * slices code points) to share 900,000, and fenced with more backticks than any run inside.
 * Bodies go to curl through files: a plan can be longer than one command-line argument may be.
 */
export const DRIFT_REPORT_SCRIPT = [
  `if [ -z "\${${DRIFT_TOKEN_VARIABLE}:-}" ]; then`,
  `  echo "${DRIFT_TOKEN_VARIABLE} is not set: add a project access token (Reporter role, api scope) as a masked, protected CI/CD variable (docs/infrastructure.md)." >&2`,
  '  exit 1',
  'fi',
  'work=$(mktemp -d)',
  `printf 'PRIVATE-TOKEN: %s\\n' "$${DRIFT_TOKEN_VARIABLE}" > "$work/auth"`,
  'api="$CI_API_V4_URL/projects/$CI_PROJECT_ID"',
  'marker="<!-- devops-init:infra-drift -->"',
  'gl() {',
  '  # usage: gl METHOD PATH [JSON file]',
  '  if [ -n "${3:-}" ]; then',
  '    curl -sSf -X "$1" -H "@$work/auth" -H "Content-Type: application/json" --data "@$3" "$api$2"',
  '  else',
  '    curl -sSf -X "$1" -H "@$work/auth" "$api$2"',
  '  fi',
  '}',
  ': > "$work/drifted"',
  ': > "$work/unknown"',
  'printf \'%s\\n\' "$ENVIRONMENTS" | tr \',\' \'\\n\' > "$work/environments"',
  'while read -r env; do',
  '  status=$(cat "drift/drift-$env.status" 2>/dev/null || echo error)',
  '  case "$status" in',
  '    drift) echo "$env" >> "$work/drifted" ;;',
  '    clean) ;;',
  '    *) echo "$env" >> "$work/unknown" ;;',
  '  esac',
  'done < "$work/environments"',
  'budget=$((900000 / $(wc -l < "$work/environments")))',
  '# Each API call is its own assignment, so a failed call stops the job (sh has no pipefail).',
  'gl GET "/issues?state=opened&labels=$ISSUE_LABEL&per_page=100" > "$work/open.json"',
  'existing=$(jq -r --arg m "$marker" \'[.[] | select((.description // "") | contains($m))][0].iid // empty\' "$work/open.json")',
  'if [ -s "$work/drifted" ]; then',
  '  : > "$work/sections"',
  '  while read -r env; do',
  '    jq -Rs --arg env "$env" --argjson max "$budget" \'',
  '      (if length > $max then .[0:$max] + "\\n… \\(length - $max) more characters: the full plan is in the job artifacts." else . end) as $text',
  '      | ("`" * ([3, ([$text | scan("`+") | length] | max // 0) + 1] | max)) as $fence',
  '      | "### \\($env)\\n\\n\\($fence)text\\n\\($text)\\n\\($fence)"\' "drift/drift-$env.plan" >> "$work/sections"',
  '  done < "$work/drifted"',
  '  while read -r env; do',
  '    jq -n --arg env "$env" \'"### \\($env)\\n\\nThe plan failed: drift unknown."\' >> "$work/sections"',
  '  done < "$work/unknown"',
  '  envs=$(paste -sd, "$work/drifted" | sed \'s/,/, /g\')',
  '  jq -s --arg marker "$marker" --arg title "$ISSUE_TITLE" --arg labels "$ISSUE_LABEL" --arg envs "$envs" --arg run "$CI_PIPELINE_URL" \'{',
  '    title: $title,',
  '    labels: $labels,',
  '    description: ([$marker, "The nightly plan found changes in \\($envs): the real infrastructure no longer matches the code. Apply the code (run the infra-apply jobs) or change the code to match; this issue closes on the next clean run."] + . + ["Last checked by [this pipeline](\\($run))."] | join("\\n\\n"))',
  '  }\' "$work/sections" > "$work/issue.json"',
  '  if [ -n "$existing" ]; then',
  '    gl PUT "/issues/$existing" "$work/issue.json" > /dev/null',
  '    echo "Updated issue #$existing"',
  '  else',
  '    gl POST /issues "$work/issue.json" > "$work/created.json"',
  '    created=$(jq -r .iid "$work/created.json")',
  '    echo "Opened issue #$created"',
  '  fi',
  'elif [ ! -s "$work/unknown" ]; then',
  '  if [ -n "$existing" ]; then',
  '    jq -n --arg run "$CI_PIPELINE_URL" \'{body: "No drift any more ([pipeline](\\($run)))."}\' > "$work/note.json"',
  '    gl POST "/issues/$existing/notes" "$work/note.json" > /dev/null',
  '    echo \'{"state_event":"close"}\' > "$work/close.json"',
  '    gl PUT "/issues/$existing" "$work/close.json" > /dev/null',
  '    echo "Closed issue #$existing"',
  '  else',
  '    echo "No drift."',
  '  fi',
  'else',
  '  echo "Drift unknown in $(paste -sd, "$work/unknown"): the issue is left as it is."',
  'fi',
].join('\n');

const changedPaths = (p: { dir: string; id: string }): string[] => [`${p.dir}/**/*`, pipelineFile('gitlab', p.id)];

/** Variables of a job that runs Terraform in an environment's root with one of its roles. */
function envVariables(e: InfraPipelineEnvironment, role: string): Record<string, string> {
  return { ...TF_VARIABLES, ENVIRONMENT: e.name, TF_ROOT: e.root, AWS_REGION: e.region, AWS_ROLE_ARN: role };
}

/**
 * Merge requests touching the IaC folder: format, validate and test every module and root
 * (no credentials), the misconfiguration scan, then one plan per environment with its
 * read-only role, reported in the merge request widget.
 */
export function infraPlanJobs(p: InfraPlanPipeline, ctx: GitlabContext): NamedJob[] {
  const changes = { paths: changedPaths(p) };
  // Merge requests from forks run in the fork's project (its token would not match the role
  // anyway); a parent-project pipeline a maintainer starts for a fork would run the fork's
  // code with this project's token, so plans only run for branches of this project.
  const sameProject = `${IF.mergeRequest} && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_MERGE_REQUEST_PROJECT_ID`;
  const jobs: NamedJob[] = [
    {
      name: 'infra:static',
      comment: ['terraform fmt, then init (no backend), validate and test every module and root: offline, no credentials.'],
      job: {
        stage: 'test',
        image: terraformImage(p.toolVersion),
        needs: [],
        rules: [{ if: IF.mergeRequest, changes }],
        timeout: '15m',
        interruptible: true,
        ...tagsOf(ctx),
        variables: { ...TF_VARIABLES, TF_DIR: p.dir, TF_PLUGIN_CACHE_DIR: '$CI_PROJECT_DIR/.cache/terraform-plugins' },
        cache: [{ key: 'terraform-plugins', paths: ['.cache/terraform-plugins'] }],
        script: [
          'terraform fmt -check -recursive -diff "$TF_DIR"',
          'mkdir -p "$TF_PLUGIN_CACHE_DIR"',
          [
            'for dir in "$TF_DIR"/modules/*/ "$TF_DIR"/envs/*/ "$TF_DIR"/bootstrap/; do',
            '  echo "== $dir"',
            '  terraform -chdir="$dir" init -backend=false -input=false',
            '  terraform -chdir="$dir" validate',
            '  # Module tests mock the AWS provider: no credentials, nothing created.',
            '  if [ -d "$dir/tests" ]; then terraform -chdir="$dir" test; fi',
            'done',
          ].join('\n'),
        ],
      },
    },
    {
      name: 'infra:scan',
      comment: [`Misconfigurations in the Terraform (Trivy config scan): any ${p.scanSeverity.split(',').join(' or ')} finding fails.`],
      job: {
        stage: 'test',
        image: { name: GITLAB_IMAGES.trivy, entrypoint: [''] },
        needs: [],
        rules: [{ if: IF.mergeRequest, changes }],
        timeout: '10m',
        interruptible: true,
        ...tagsOf(ctx),
        variables: { TF_DIR: p.dir, SEVERITY: p.scanSeverity, TRIVY_CACHE_DIR: '.cache/trivy', TRIVY_NO_PROGRESS: 'true' },
        cache: [{ key: 'trivy-db', paths: ['.cache/trivy'] }],
        script: ['trivy config --severity "$SEVERITY" --exit-code 1 "$TF_DIR"'],
      },
    },
  ];
  for (const e of p.environments) {
    jobs.push({
      name: `infra:plan:${e.name}`,
      comment: [
        `Plan ${e.name} with its read-only role (trusts any branch of this project, nothing else). The merge request`,
        'widget shows the counts (artifacts:reports:terraform); the plan\'s text is an artifact members can read.',
        'Not interruptible: a plan cancelled while it holds the state lock would leave the lock behind.',
      ],
      job: {
        stage: 'test',
        image: terraformImage(p.toolVersion),
        needs: [],
        rules: [{ if: sameProject, changes }],
        timeout: '30m',
        interruptible: false,
        ...tagsOf(ctx),
        variables: envVariables(e, e.planRole),
        id_tokens: { AWS_ID_TOKEN: { aud: p.oidcAudience } },
        before_script: [AWS_LOGIN, 'cd "$TF_ROOT"'],
        script: [LOCK_FILE_CHECK, PLAN_SCRIPT],
        artifacts: {
          paths: [`plan-${e.name}.txt`],
          reports: { terraform: `plan-${e.name}.json` },
          expire_in: '1 week',
          // The plan names real resources: project members only, even in a public project.
          access: 'developer',
        },
      },
    });
  }
  return jobs;
}

/**
 * The default branch: per environment, in order, a manual job in the protected environment of
 * the same name re-plans and applies exactly that plan. `resource_group` runs one apply per
 * environment at a time (later ones wait, none is cancelled), and applies are never interruptible.
 */
export function infraApplyJobs(p: InfraApplyPipeline, ctx: GitlabContext): NamedJob[] {
  const rules: Rule[] = [
    { if: IF.schedule, when: 'never' },
    // allow_failure: false: the pipeline waits ("blocked") until someone applies; merged
    // infrastructure that is not applied is pending work, not success.
    { if: IF.defaultBranch, changes: { paths: changedPaths(p) }, when: 'manual', allow_failure: false },
  ];
  return p.environments.map((e, i) => ({
    name: `infra:apply:${e.name}`,
    comment: [
      `Apply ${e.name}: manual, in the protected "${e.name}" environment (only its allowed deployers and approvers can run it).`,
      `The apply role trusts only this project's ${p.defaultBranch} branch. Re-plans, then applies exactly that plan.`,
    ],
    job: {
      stage: 'deploy',
      image: terraformImage(p.toolVersion),
      needs: i === 0 ? [] : [{ job: `infra:apply:${p.environments[i - 1]!.name}`, artifacts: false }],
      rules,
      timeout: '60m',
      interruptible: false,
      resource_group: `infra-${e.name}`,
      ...tagsOf(ctx),
      environment: { name: e.name, deployment_tier: e.name === 'production' ? 'production' : 'staging' },
      variables: envVariables(e, e.applyRole),
      id_tokens: { AWS_ID_TOKEN: { aud: p.oidcAudience } },
      before_script: [AWS_LOGIN, 'cd "$TF_ROOT"'],
      script: [
        'terraform init -input=false -lockfile=readonly',
        'terraform plan -input=false -lock-timeout=5m -no-color -out=tfplan',
        '# A saved plan fails if the state moved since it was made.',
        'terraform apply -input=false -lock-timeout=5m -no-color tfplan',
      ],
    },
  }));
}

/** The condition of the drift jobs: a schedule (or a manual pipeline) of the default branch that sets INFRA_DRIFT. */
export const DRIFT_IF = `$${DRIFT_SCHEDULE_VARIABLE} == "true" && ${IF.defaultBranch} && ($CI_PIPELINE_SOURCE == "schedule" || $CI_PIPELINE_SOURCE == "web")`;

/**
 * Nightly, from a pipeline schedule that sets INFRA_DRIFT=true: plan every environment with
 * its read-only role and without the lock; then one job opens, updates or closes the issue.
 */
export function infraDriftJobs(p: InfraDriftPipeline, ctx: GitlabContext): NamedJob[] {
  const jobs: NamedJob[] = p.environments.map((e) => ({
    name: `infra:drift:${e.name}`,
    comment: [`Drift in ${e.name}: terraform plan -detailed-exitcode -lock=false (never blocks an apply). 0 = clean, 2 = drift (the job passes: the report opens the issue), anything else fails.`],
    job: {
      stage: 'test',
      image: terraformImage(p.toolVersion),
      needs: [],
      rules: [{ if: DRIFT_IF }],
      timeout: '30m',
      interruptible: true,
      ...tagsOf(ctx),
      variables: envVariables(e, e.planRole),
      id_tokens: { AWS_ID_TOKEN: { aud: p.oidcAudience } },
      before_script: [AWS_LOGIN, 'cd "$TF_ROOT"'],
      script: ['terraform init -input=false -lockfile=readonly', DRIFT_SCRIPT],
      artifacts: { paths: [`drift/drift-${e.name}.*`], expire_in: '2 weeks', when: 'always', access: 'developer' },
    },
  }));
  jobs.push({
    name: 'infra:drift:report',
    comment: [
      `Open (or update) one issue, "${p.issueTitle}", on drift; close it on a clean night; leave it when a plan failed.`,
      `Uses ${DRIFT_TOKEN_VARIABLE}, a project access token (Reporter, api) in a masked, protected variable; it holds no cloud credentials.`,
    ],
    job: {
      stage: 'deploy',
      image: GITLAB_IMAGES.alpine,
      needs: p.environments.map((e) => ({ job: `infra:drift:${e.name}`, artifacts: true })),
      // always: an errored plan still reports the others.
      rules: [{ if: DRIFT_IF, when: 'always' }],
      timeout: '5m',
      interruptible: false,
      ...tagsOf(ctx),
      variables: { ENVIRONMENTS: p.environments.map((e) => e.name).join(','), ISSUE_TITLE: p.issueTitle, ISSUE_LABEL: DRIFT_LABEL },
      before_script: ['apk add --no-cache curl jq'],
      script: [DRIFT_REPORT_SCRIPT],
    },
  });
  return jobs;
}
