/**
 * The scheduled jobs' logic as plain JavaScript text: the same text runs in the workflow
 * (actions/github-script) or the GitLab job (node), and the tests evaluate it (pure functions,
 * fixed dates). Keep it ES2020 with no imports.
 */

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

function linkedIncidents(postmortems) {
  // A postmortem links its incident as #<number> (the form asks for it) or a full issue URL.
  const linked = new Set();
  for (const p of postmortems) {
    for (const m of String(p.body || '').matchAll(/(?:#|\\/issues\\/)(\\d+)\\b/g)) linked.add(Number(m[1]));
  }
  return linked;
}

function overdueIncidents(incidents, postmortems, now, days, overdueLabel) {
  // Closed incidents past the deadline, with no postmortem linking them and not yet reminded.
  const linked = linkedIncidents(postmortems);
  return incidents.filter((i) =>
    i.closedAt &&
    businessDaysBetween(new Date(i.closedAt), now) > days &&
    !linked.has(i.number) &&
    !i.labels.includes(overdueLabel));
}
`.trimStart();

/** GitHub glue: list incidents and postmortems, comment and label the overdue ones. */
export const GITHUB_REMINDER_JS = `${POSTMORTEM_RULE_JS}
const days = Number(process.env.BUSINESS_DAYS);
const { INCIDENT_LABEL, POSTMORTEM_LABEL, OVERDUE_LABEL } = process.env;
const list = (labels) => github.paginate(github.rest.issues.listForRepo, { ...context.repo, labels, state: 'all', per_page: 100 });
const toItem = (i) => ({ number: i.number, closedAt: i.state === 'closed' ? i.closed_at : null, body: i.body, labels: i.labels.map((l) => (typeof l === 'string' ? l : l.name)) });
const incidents = (await list(INCIDENT_LABEL)).filter((i) => !i.pull_request).map(toItem);
const postmortems = (await list(POSTMORTEM_LABEL)).map(toItem);
for (const i of overdueIncidents(incidents, postmortems, new Date(), days, OVERDUE_LABEL)) {
  // The label is the memory: an incident is reminded once, so reruns are harmless.
  await github.rest.issues.addLabels({ ...context.repo, issue_number: i.number, labels: [OVERDUE_LABEL] });
  await github.rest.issues.createComment({
    ...context.repo,
    issue_number: i.number,
    body: \`This incident was closed more than \${days} business days ago and no postmortem links it. \` +
      \`Open one with the Postmortem form and put #\${i.number} in its "Incident issue" field. \` +
      'Skipping postmortems because "we already fixed it" is how the same incident happens twice.',
  });
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
async function list(label) {
  const out = [];
  for (let page = 1; ; page += 1) {
    const batch = await call('GET', \`/issues?labels=\${encodeURIComponent(label)}&state=all&per_page=100&page=\${page}\`);
    out.push(...batch);
    if (batch.length < 100) return out;
  }
}
const toItem = (i) => ({ number: i.iid, closedAt: i.state === 'closed' ? i.closed_at : null, body: i.description, labels: i.labels });
const days = Number(process.env.BUSINESS_DAYS);
const { INCIDENT_LABEL, POSTMORTEM_LABEL, OVERDUE_LABEL } = process.env;
const incidents = (await list(INCIDENT_LABEL)).map(toItem);
const postmortems = (await list(POSTMORTEM_LABEL)).map(toItem);
for (const i of overdueIncidents(incidents, postmortems, new Date(), days, OVERDUE_LABEL)) {
  await call('PUT', \`/issues/\${i.number}\`, { add_labels: OVERDUE_LABEL });
  await call('POST', \`/issues/\${i.number}/notes\`, { body: \`This incident was closed more than \${days} business days ago and no postmortem links it. Open one with the Postmortem template and put #\${i.number} in it.\` });
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
const found = await (await fetch(\`\${api}/issues?labels=\${encodeURIComponent(label)}&state=all&search=\${encodeURIComponent(title)}&in=title\`, { headers })).json();
if (Array.isArray(found) && found.some((i) => i.title === title)) {
  console.log(\`\${title} exists already\`);
} else {
  const description = readFileSync(process.env.DRILL_BODY_FILE, 'utf8');
  const res = await fetch(\`\${api}/issues\`, { method: 'POST', headers, body: JSON.stringify({ title, description, labels: label }) });
  if (!res.ok) throw new Error(\`create issue: \${res.status} \${await res.text()}\`);
  console.log(\`opened \${title}\`);
}
`;

/** Cron (UTC) of the drill: 09:00 on the first day of each quarter, or of each month. */
export function drillCron(cadence: 'quarterly' | 'monthly'): string {
  return cadence === 'quarterly' ? '0 9 1 1,4,7,10 *' : '0 9 1 * *';
}

/** Cron (UTC) of the postmortem reminder: weekdays at 08:00. */
export const REMINDER_CRON = '0 8 * * 1-5';
