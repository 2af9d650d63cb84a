/**
 * The scheduled jobs' logic as plain JavaScript text: the same text runs in the workflow
 * (actions/github-script) or the GitLab job (node), and the tests evaluate it (pure functions,
 * fixed dates). Keep it ES2020 with no imports.
 */
import type { LabelDefinition } from '../../model/types.js';

/** Business days (Monday–Friday, UTC; public holidays are not known) and which incidents are overdue. */
export const POSTMORTEM_RULE_JS = `
function businessDaysBetween(from, to) {
  // Whole business days after the day of \`from\` up to and including the day of \`to\` (UTC).
  const day = 24 * 60 * 60 * 1000;
  let d = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  let n = 0;
  while (d < end) {
    d += day;
    const w = new Date(d).getUTCDay();
    if (w !== 0 && w !== 6) n += 1;
  }
  return n;
}

function incidentSection(body) {
  // Only the postmortem's "Incident issue" field: the form renders it under a "### Incident issue"
  // heading (the GitLab template has the same heading). Timelines and action items mention other issues.
  const lines = String(body || '').split(/\\r?\\n/);
  const start = lines.findIndex((l) => /^#{1,6}\\s*Incident issue\\s*$/i.test(l.trim()));
  if (start < 0) return '';
  const out = [];
  for (const l of lines.slice(start + 1)) {
    if (/^#{1,6}\\s/.test(l.trim())) break;
    out.push(l);
  }
  return out.join('\\n');
}

function linkedIncidents(postmortems, issueUrl) {
  // A postmortem links its incident in that section as #<number> or as this repository's issue URL
  // (issueUrl, e.g. https://github.com/acme/shop/issues/). owner/repo#12 is another repository's issue.
  const linked = new Set();
  for (const p of postmortems) {
    const section = incidentSection(p.body);
    for (const m of section.matchAll(/(?:^|[^\\w/&])#(\\d+)\\b/g)) linked.add(Number(m[1]));
    if (!issueUrl) continue;
    for (let at = section.indexOf(issueUrl); at >= 0; at = section.indexOf(issueUrl, at + 1)) {
      const m = /^(\\d+)\\b/.exec(section.slice(at + issueUrl.length));
      if (m) linked.add(Number(m[1]));
    }
  }
  return linked;
}

function overdueIncidents(incidents, postmortems, now, days, overdueLabel, issueUrl) {
  // Closed incidents past the deadline, with no postmortem linking them and not yet labelled overdue.
  const linked = linkedIncidents(postmortems, issueUrl);
  return incidents.filter((i) =>
    i.closedAt &&
    businessDaysBetween(new Date(i.closedAt), now) > days &&
    !linked.has(i.number) &&
    !i.labels.includes(overdueLabel));
}

// The reminder comment carries this hidden marker: a rerun whose labelling failed finds it and does
// not comment twice.
const REMINDER_MARKER = '<!-- devops-init:postmortem-reminder -->';

function reminded(comments) {
  return comments.some((c) => String(c.body || '').includes(REMINDER_MARKER));
}
`.trimStart();

/** GitHub glue: list incidents and postmortems, comment on and label the overdue ones. */
export const GITHUB_REMINDER_JS = `${POSTMORTEM_RULE_JS}
const days = Number(process.env.BUSINESS_DAYS);
const { INCIDENT_LABEL, POSTMORTEM_LABEL, OVERDUE_LABEL } = process.env;
const issueUrl = \`\${context.serverUrl}/\${context.repo.owner}/\${context.repo.repo}/issues/\`;
const list = (labels) => github.paginate(github.rest.issues.listForRepo, { ...context.repo, labels, state: 'all', per_page: 100 });
const toItem = (i) => ({ number: i.number, closedAt: i.state === 'closed' ? i.closed_at : null, body: i.body, labels: i.labels.map((l) => (typeof l === 'string' ? l : l.name)) });
const incidents = (await list(INCIDENT_LABEL)).filter((i) => !i.pull_request).map(toItem);
const postmortems = (await list(POSTMORTEM_LABEL)).filter((i) => !i.pull_request).map(toItem);
for (const i of overdueIncidents(incidents, postmortems, new Date(), days, OVERDUE_LABEL, issueUrl)) {
  // Comment first, label second: the label is what ends the reminders, so it goes on only once the
  // comment is there. A rerun after a failed labelling finds the marker and only labels.
  const comments = await github.paginate(github.rest.issues.listComments, { ...context.repo, issue_number: i.number, per_page: 100 });
  if (!reminded(comments)) {
    await github.rest.issues.createComment({
      ...context.repo,
      issue_number: i.number,
      body: \`\${REMINDER_MARKER}\\n\` +
        \`This incident was closed more than \${days} business days ago and no postmortem links it. \` +
        \`Open one with the Postmortem form and put #\${i.number} in its "Incident issue" field. \` +
        'Skipping postmortems because "we already fixed it" is how the same incident happens twice.',
    });
  }
  await github.rest.issues.addLabels({ ...context.repo, issue_number: i.number, labels: [OVERDUE_LABEL] });
  core.info(\`reminded #\${i.number}\`);
}
`;

/** GitHub glue for the drill: open this period's drill issue unless it exists. */
export const GITHUB_DRILL_JS = `const now = new Date();
const period = process.env.CADENCE === 'monthly'
  ? \`\${now.getUTCFullYear()}-\${String(now.getUTCMonth() + 1).padStart(2, '0')}\`
  : \`\${now.getUTCFullYear()}-Q\${Math.floor(now.getUTCMonth() / 3) + 1}\`;
const title = \`Failover drill \${period}\`;
const existing = await github.paginate(github.rest.issues.listForRepo, { ...context.repo, labels: process.env.DRILL_LABEL, state: 'all', per_page: 100 });
if (existing.some((i) => i.title === title)) {
  core.info(\`\${title} exists already\`);
} else {
  await github.rest.issues.create({ ...context.repo, title, body: process.env.DRILL_BODY, labels: [process.env.DRILL_LABEL] });
  core.info(\`opened \${title}\`);
}
`;

/** GitLab glue: the same rule through the GitLab REST API with a project access token. */
export const GITLAB_REMINDER_JS = `${POSTMORTEM_RULE_JS}
const api = \`\${process.env.CI_API_V4_URL}/projects/\${process.env.CI_PROJECT_ID}\`;
const headers = { 'PRIVATE-TOKEN': process.env.INCIDENT_BOT_TOKEN, 'Content-Type': 'application/json' };
async function call(method, path, body) {
  const res = await fetch(api + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(\`\${method} \${path}: \${res.status} \${await res.text()}\`);
  return res.json();
}
async function list(path) {
  const out = [];
  for (let page = 1; ; page += 1) {
    const batch = await call('GET', \`\${path}\${path.includes('?') ? '&' : '?'}per_page=100&page=\${page}\`);
    out.push(...batch);
    if (batch.length < 100) return out;
  }
}
const byLabel = (label) => list(\`/issues?labels=\${encodeURIComponent(label)}&state=all\`);
const toItem = (i) => ({ number: i.iid, closedAt: i.state === 'closed' ? i.closed_at : null, body: i.description, labels: i.labels });
const days = Number(process.env.BUSINESS_DAYS);
const { INCIDENT_LABEL, POSTMORTEM_LABEL, OVERDUE_LABEL } = process.env;
const issueUrl = \`\${process.env.CI_PROJECT_URL}/-/issues/\`;
const incidents = (await byLabel(INCIDENT_LABEL)).map(toItem);
const postmortems = (await byLabel(POSTMORTEM_LABEL)).map(toItem);
for (const i of overdueIncidents(incidents, postmortems, new Date(), days, OVERDUE_LABEL, issueUrl)) {
  // Comment first, label second (the label ends the reminders); the marker keeps a rerun from commenting twice.
  if (!reminded(await list(\`/issues/\${i.number}/notes\`))) {
    await call('POST', \`/issues/\${i.number}/notes\`, { body: \`\${REMINDER_MARKER}\\nThis incident was closed more than \${days} business days ago and no postmortem links it. Open one with the Postmortem template and put #\${i.number} in its "Incident issue" section.\` });
  }
  await call('PUT', \`/issues/\${i.number}\`, { add_labels: OVERDUE_LABEL });
  console.log(\`reminded #\${i.number}\`);
}
`;

/** GitLab glue for the drill. */
export const GITLAB_DRILL_JS = `import { readFileSync } from 'node:fs';
const api = \`\${process.env.CI_API_V4_URL}/projects/\${process.env.CI_PROJECT_ID}\`;
const headers = { 'PRIVATE-TOKEN': process.env.INCIDENT_BOT_TOKEN, 'Content-Type': 'application/json' };
const now = new Date();
const period = process.env.CADENCE === 'monthly'
  ? \`\${now.getUTCFullYear()}-\${String(now.getUTCMonth() + 1).padStart(2, '0')}\`
  : \`\${now.getUTCFullYear()}-Q\${Math.floor(now.getUTCMonth() / 3) + 1}\`;
const title = \`Failover drill \${period}\`;
const label = process.env.DRILL_LABEL;
// An error response (401, 5xx) must stop the job: read as "no such issue" it would open a duplicate.
const search = await fetch(\`\${api}/issues?labels=\${encodeURIComponent(label)}&state=all&search=\${encodeURIComponent(title)}&in=title&per_page=100\`, { headers });
if (!search.ok) throw new Error(\`search issues: \${search.status} \${await search.text()}\`);
const found = await search.json();
if (found.some((i) => i.title === title)) {
  console.log(\`\${title} exists already\`);
} else {
  const description = readFileSync(process.env.DRILL_BODY_FILE, 'utf8');
  const res = await fetch(\`\${api}/issues\`, { method: 'POST', headers, body: JSON.stringify({ title, description, labels: label }) });
  if (!res.ok) throw new Error(\`create issue: \${res.status} \${await res.text()}\`);
  console.log(\`opened \${title}\`);
}
`;

/**
 * GitHub: create each incident label that is missing. Idempotent: 422 with code already_exists
 * means the label is there (the team may have recoloured it: it is kept). Needs issues: write.
 */
export function githubEnsureLabelsJs(labels: LabelDefinition[]): string {
  return `const labels = [
${labels.map((l) => `  ${JSON.stringify(l)},`).join('\n')}
];
for (const label of labels) {
  try {
    await github.rest.issues.createLabel({ ...context.repo, ...label });
    core.info(\`created label \${label.name}\`);
  } catch (error) {
    const exists = error.status === 422 && (error.response?.data?.errors ?? []).some((e) => e.code === 'already_exists');
    if (!exists) throw error;
  }
}
`;
}

/** GitLab: the same through POST /projects/:id/labels; 409 means the label exists (kept as it is). */
export function gitlabEnsureLabelsJs(labels: LabelDefinition[]): string {
  return `const api = \`\${process.env.CI_API_V4_URL}/projects/\${process.env.CI_PROJECT_ID}\`;
const headers = { 'PRIVATE-TOKEN': process.env.INCIDENT_BOT_TOKEN, 'Content-Type': 'application/json' };
const labels = [
${labels.map((l) => `  ${JSON.stringify(l)},`).join('\n')}
];
for (const label of labels) {
  const res = await fetch(\`\${api}/labels\`, { method: 'POST', headers, body: JSON.stringify({ ...label, color: \`#\${label.color}\` }) });
  if (res.status === 409) continue;
  if (!res.ok) throw new Error(\`create label \${label.name}: \${res.status} \${await res.text()}\`);
  console.log(\`created label \${label.name}\`);
}
`;
}

/** Cron (UTC) of the drill: 09:00 on the first day of each quarter, or of each month. */
export function drillCron(cadence: 'quarterly' | 'monthly'): string {
  return cadence === 'quarterly' ? '0 9 1 1,4,7,10 *' : '0 9 1 * *';
}

/** Cron (UTC) of the postmortem reminder: weekdays at 08:00. */
export const REMINDER_CRON = '0 8 * * 1-5';
