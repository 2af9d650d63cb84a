import type { InfraApplyPipeline, InfraDriftPipeline, InfraPlanPipeline } from '../../model/types.js';

/**
 * Data and scripts of the infrastructure workflows. The scripts are kept here as text (not
 * inline in the templates) so tests can run them: the drift step's shell with a fake
 * `terraform`, the github-script reports with a fake GitHub client.
 */

/** JavaScript both reports share: truncate by code points, and a fence the text cannot close. */
const TEXT_HELPERS = `// GitHub caps a comment or issue body at 65,536 characters; stay well under it.
const LIMIT = 60000;
// Cut by code points, never inside a character, and say what was left out.
const truncate = (text, max) => {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, max).join('') + \`\\n… \${chars.length - max} more characters: the full text is in the run's artifacts.\`;
};
// A fence longer than any run of backticks in the text, so the text cannot end it early.
const fence = (text) => '\`'.repeat(Math.max(3, ...Array.from(text.matchAll(/\`+/g), (m) => m[0].length + 1)));
const block = (text) => { const f = fence(text); return \`\${f}text\\n\${text}\\n\${f}\`; };
const fs = require('fs');
const read = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; } };
const environments = process.env.ENVIRONMENTS.split(',');
const budget = Math.floor((LIMIT - 2000) / environments.length);
`;

/** The plan report: one pull-request comment (found again by its marker) and the job summary. */
export const PLAN_REPORT_SCRIPT = `${TEXT_HELPERS}const marker = '<!-- devops-init:infra-plan -->';
const sections = environments.map((env) => {
  const text = read(\`plans/plan-\${env}.txt\`);
  if (text === undefined) return \`### \${env}\\n\\nNo plan: the plan job failed before writing one (see the run's logs).\`;
  const summary = (text.match(/^(Plan:.*|No changes\\..*)$/m) ?? ['Plan'])[0];
  return \`<details><summary><b>\${env}</b>: \${summary}</summary>\\n\\n\${block(truncate(text, budget))}\\n\\n</details>\`;
});
const run = \`\${context.serverUrl}/\${context.repo.owner}/\${context.repo.repo}/actions/runs/\${context.runId}\`;
const status = process.env.PLAN_RESULT === 'success' ? 'Terraform plans' : 'Terraform plans (some failed)';
const body = [marker, \`## \${status} for \${(context.payload?.pull_request?.head?.sha ?? context.sha).slice(0, 7)}\`, ...sections, \`[Run](\${run})\`].join('\\n\\n');
await core.summary.addRaw(body).write();
const { owner, repo } = context.repo;
const issue_number = context.issue.number;
const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
const mine = comments.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(marker));
if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
else await github.rest.issues.createComment({ owner, repo, issue_number, body });
`;

/**
 * The drift step: exit code 0 = clean, 2 = drift, anything else = error (drift unknown). The
 * default shell is \`bash -e\`, which would stop at exit code 2, hence \`set +e\` around the plan.
 */
export const DRIFT_SCRIPT = `set -uo pipefail
out="$RUNNER_TEMP/drift-$ENVIRONMENT"
set +e
terraform plan -input=false -lock=false -detailed-exitcode -no-color > "$out.plan" 2>&1
code=$?
set -e
cat "$out.plan"
case "$code" in
  0) status=clean ;;
  2) status=drift ;;
  *) status=error ;;
esac
echo "$status" > "$out.status"
echo "status=$status" >> "$GITHUB_OUTPUT"
echo "### $ENVIRONMENT: $status" >> "$GITHUB_STEP_SUMMARY"
if [ "$status" = error ]; then
  echo "::error::terraform plan failed (exit $code) in $ENVIRONMENT: drift unknown"
  exit 1
fi
`;

/** The drift report: one issue (found again by its marker), opened or updated on drift, closed when clean. */
export const DRIFT_REPORT_SCRIPT = `${TEXT_HELPERS}const marker = '<!-- devops-init:infra-drift -->';
const results = environments.map((env) => ({ env, status: (read(\`drift/drift-\${env}.status\`) ?? 'error').trim(), plan: read(\`drift/drift-\${env}.plan\`) ?? '' }));
const drifted = results.filter((r) => r.status === 'drift');
const unknown = results.filter((r) => r.status !== 'drift' && r.status !== 'clean');
const { owner, repo } = context.repo;
const run = \`\${context.serverUrl}/\${owner}/\${repo}/actions/runs/\${context.runId}\`;
const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', creator: 'github-actions[bot]', per_page: 100 });
const existing = open.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
if (drifted.length > 0) {
  const body = [
    marker,
    \`The nightly plan found changes in \${drifted.map((r) => r.env).join(', ')}: the real infrastructure no longer matches the code. Apply the code (re-run infra-apply) or change the code to match, then this issue closes on the next clean run.\`,
    ...drifted.map((r) => \`### \${r.env}\\n\\n\${block(truncate(r.plan, budget))}\`),
    ...unknown.map((r) => \`### \${r.env}\\n\\nThe plan failed: drift unknown.\`),
    \`Last checked by [this run](\${run}).\`,
  ].join('\\n\\n');
  if (existing) {
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, body });
    core.info(\`Updated #\${existing.number}\`);
  } else {
    const created = await github.rest.issues.create({ owner, repo, title: process.env.ISSUE_TITLE, body });
    core.info(\`Opened #\${created.data.number}\`);
  }
} else if (unknown.length === 0) {
  if (existing) {
    await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: \`No drift any more ([run](\${run})).\` });
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    core.info(\`Closed #\${existing.number}\`);
  } else {
    core.info('No drift.');
  }
} else {
  core.warning(\`Drift unknown in \${unknown.map((r) => r.env).join(', ')}: the issue is left as it is.\`);
}
`;

const names = (p: { environments: { name: string }[] }): string => p.environments.map((e) => e.name).join(',');

export function infraPlanData(p: InfraPlanPipeline, runner: string): Record<string, unknown> {
  return {
    dir: p.dir,
    runner,
    toolVersion: p.toolVersion,
    defaultBranch: p.defaultBranch,
    scanSeverity: p.scanSeverity,
    environments: p.environments,
    environmentNames: names(p),
    reportScript: PLAN_REPORT_SCRIPT.trimEnd(),
  };
}

export function infraApplyData(p: InfraApplyPipeline, runner: string, repository: string): Record<string, unknown> {
  return {
    dir: p.dir,
    runner,
    repository,
    toolVersion: p.toolVersion,
    defaultBranch: p.defaultBranch,
    // Environments apply in order: each job waits for the previous one.
    environments: p.environments.map((e, i) => ({ ...e, previous: i > 0 ? p.environments[i - 1]!.name : null })),
  };
}

export function infraDriftData(p: InfraDriftPipeline, runner: string): Record<string, unknown> {
  return {
    runner,
    toolVersion: p.toolVersion,
    defaultBranch: p.defaultBranch,
    schedule: p.schedule,
    issueTitle: p.issueTitle,
    environments: p.environments,
    environmentNames: names(p),
    driftScript: DRIFT_SCRIPT.trimEnd(),
    reportScript: DRIFT_REPORT_SCRIPT.trimEnd(),
  };
}
