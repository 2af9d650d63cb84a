import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { gitlabJobs } from '../emit/gitlab-ci/extends.js';
import { OTEL_NODE_FILES } from '../model/otel.js';

/**
 * `devops-init doctor`'s handbook audit: the handbook's common mistakes and production tips,
 * checked on the files of the repository whether or not devops-init wrote them. Offline and
 * read-only. Incidents and drills are read from the traces they leave in the repository
 * (docs/postmortems/YYYY-MM-DD-<slug>.md, docs/incident/drills/YYYY-Qn.md); with no such file at
 * all doctor says it cannot tell (the forge's issues are not visible offline), never guesses.
 */
export interface AuditFinding {
  rule: 'cpu-alert' | 'alert-without-runbook' | 'dashboards-without-alerts' | 'ci-job-without-timeout' | 'ci-job-over-15-minutes' | 'no-trivy' | 'no-gitleaks' | 'no-preview-environments' | 'unpinned-action' | 'no-ci' | 'no-postmortem-for-closed-incident' | 'no-drill-last-quarter' | 'unlocked-otel-install';
  file: string;
  why: string;
  fix: string;
}

export interface AuditResult {
  findings: AuditFinding[];
  /** Checks doctor could not make offline, and why (e.g. no drill or postmortem record in the repository). */
  skipped: { rule: string; why: string }[];
}

const WHY = {
  cpu: 'Handbook, common mistakes: "Alerting on CPU thresholds instead of user-impacting SLOs." CPU is a cause to watch on a dashboard; page on what users feel.',
  runbook: 'Handbook, incident response: "write runbooks for known failure modes". The person paged at 3 a.m. needs to know what the alert means and what to do.',
  grafana: 'Handbook, common mistakes: "Treating monitoring as \'set up Grafana and forget\'." Dashboards nobody is alerted from are looked at only after users complain.',
  timeout: 'Handbook, common mistakes: "Letting CI pipelines balloon past 15 minutes — feedback loops die." A job without a timeout can hang for the platform default (6 h on GitHub, 1 h on GitLab).',
  long: 'Handbook, common mistakes: "Letting CI pipelines balloon past 15 minutes — feedback loops die." A job allowed to run longer than 15 minutes on every change lets the pipeline grow past it unnoticed.',
  scans: 'Handbook, production tips: "Bake security scans (Trivy, gitleaks) into CI — never optional."',
  previews: 'Handbook, production tips: "Use ephemeral preview environments per PR (Vercel-style for backends)."',
  pins: 'Actions referenced by tag or branch run whatever that ref points to tomorrow; a full commit SHA cannot move (GitHub\'s security hardening guide).',
  ci: 'Handbook, CI/CD: "Automated build, test, deploy on every commit."',
  drill: 'Handbook, production tips: "Practice failover quarterly — untested DR is no DR."',
  postmortem: 'Handbook, common mistakes: skipping postmortems "because we already fixed it". Incident response: blameless postmortems within 5 business days.',
  otel: 'npm install of @opentelemetry/auto-instrumentations-node without a lockfile resolves its ~200 dependencies when the image is built, unverified: two builds of one commit can ship different code.',
};

/** The OpenTelemetry Node lock devops-init writes (in .devops-init/, which the walk skips). */
const OTEL_NODE_LOCK = OTEL_NODE_FILES[1].path;
const DOCKERFILE = (p: string) => /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.(Dockerfile|Containerfile)$/.test(p) && !p.endsWith('.dockerignore');

/** Where drills and postmortems leave their trace (the incident practice's drill issue and checklist say so). */
export const DRILL_DIR = 'docs/incident/drills';
export const POSTMORTEM_DIR = 'docs/postmortems';

/** Start (UTC) of the period a record's file name names: `2026-Q3…`, `2026-07…` or `2026-07-14…`; undefined for other names. */
export function recordDate(file: string): Date | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const q = /^(\d{4})-Q([1-4])(?:\b|[-_.])/.exec(name);
  if (q) return new Date(Date.UTC(Number(q[1]), (Number(q[2]) - 1) * 3, 1));
  const d = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:\b|[-_.])/.exec(name);
  if (!d) return undefined;
  const [y, m, day] = [Number(d[1]), Number(d[2]), d[3] ? Number(d[3]) : 1];
  if (m < 1 || m > 12 || day < 1 || day > 31) return undefined;
  return new Date(Date.UTC(y, m - 1, day));
}

/** The first day (UTC) of the quarter before the one `now` is in: a drill since then counts as "last quarter". */
export function previousQuarterStart(now: Date): Date {
  const q = Math.floor(now.getUTCMonth() / 3);
  return new Date(Date.UTC(now.getUTCFullYear(), (q - 1) * 3, 1));
}

/** `date` plus `days` business days (Monday–Friday), UTC. */
export function addBusinessDays(date: Date, days: number): Date {
  const d = new Date(date.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  return d;
}

/** What the postmortem template leaves until someone writes the postmortem. */
const POSTMORTEM_PLACEHOLDERS = ['INCIDENT TITLE', '#NUMBER', '**Date (UTC):** YYYY-MM-DD', '| HH:MM |'];

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const isRecord = (p: string, dir: string) => p.startsWith(`${dir}/`) && p.endsWith('.md') && !/\/README\.md$/i.test(p);

/** The drill and postmortem audits, from the files drills and postmortems leave in the repository. */
function historyAudit(files: string[], read: (p: string) => string, now: Date, businessDays: number): { findings: AuditFinding[]; skipped: AuditResult['skipped'] } {
  const findings: AuditFinding[] = [];
  const skipped: AuditResult['skipped'] = [];

  const drills = files.filter((p) => isRecord(p, DRILL_DIR));
  const dated = drills.flatMap((p) => { const d = recordDate(p); return d ? [{ p, d }] : []; }).sort((a, b) => b.d.getTime() - a.d.getTime());
  const undatedDrills = drills.filter((p) => !recordDate(p));
  if (dated.length === 0) {
    skipped.push({ rule: 'no-drill-last-quarter', why: `cannot tell: no drill record in ${DRILL_DIR}/ (${undatedDrills.length ? `${undatedDrills.join(', ')} named without a date; ` : ''}drill issues are not visible offline). Commit each drill's findings to ${DRILL_DIR}/<YYYY>-Q<n>.md (the drill issue says so) and doctor checks them.` });
  } else if (dated[0]!.d < previousQuarterStart(now)) {
    findings.push({ rule: 'no-drill-last-quarter', file: dated[0]!.p, why: `The latest failover drill recorded in ${DRILL_DIR}/ is from ${ymd(dated[0]!.d)}, before ${ymd(previousQuarterStart(now))} (the start of last quarter). ${WHY.drill}`, fix: `Run the drill (the "Failover drill" issue or the incident-drill workflow's manual run, \`devops-init add incident\` sets them up) and commit its findings to ${DRILL_DIR}/${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}.md.` });
  }

  const postmortems = files.filter((p) => isRecord(p, POSTMORTEM_DIR));
  if (postmortems.length === 0) {
    skipped.push({ rule: 'no-postmortem-for-closed-incident', why: `cannot tell: no postmortem in ${POSTMORTEM_DIR}/ (closed incidents live in the issue tracker, not visible offline; the incident practice's scheduled workflow checks them there). Commit each finished postmortem to ${POSTMORTEM_DIR}/<YYYY-MM-DD>-<slug>.md, dated the day the incident closed, and doctor checks it is written on time.` });
  }
  for (const p of postmortems) {
    const closed = recordDate(p);
    if (!closed) {
      findings.push({ rule: 'no-postmortem-for-closed-incident', file: p, why: `${p} has no date in its name, so nobody can tell whether it was written within ${businessDays} business days. ${WHY.postmortem}`, fix: `Rename it ${POSTMORTEM_DIR}/<YYYY-MM-DD>-<slug>.md, dated the day the incident closed.` });
      continue;
    }
    const due = addBusinessDays(closed, businessDays);
    const left = POSTMORTEM_PLACEHOLDERS.filter((t) => read(p).includes(t));
    if (now > due && left.length) {
      findings.push({ rule: 'no-postmortem-for-closed-incident', file: p, why: `The incident closed ${ymd(closed)}; its postmortem was due ${ymd(due)} (${businessDays} business days) and still holds the template's placeholders (${left.join(', ')}). ${WHY.postmortem}`, fix: `Finish ${p} (summary, impact, timeline, action items with owners) with the people involved.` });
    }
  }
  return { findings, skipped };
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.devops-init', 'vendor', 'dist', 'build', '.venv', 'target']);

function walk(root: string, dir = root, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, join(dir, e.name), out);
    } else if (e.isFile()) out.push(relative(root, join(dir, e.name)).split(sep).join('/'));
  }
  return out;
}

function yamlDocs(text: string): unknown[] {
  try {
    return parseAllDocuments(text).map((d) => d.toJS() as unknown);
  } catch {
    return [];
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object in a YAML value that looks like a Prometheus alerting rule. */
function alertRules(v: unknown, out: Obj[] = []): Obj[] {
  if (Array.isArray(v)) for (const x of v) alertRules(x, out);
  else if (isObj(v)) {
    if (typeof v['alert'] === 'string' && typeof v['expr'] === 'string') out.push(v);
    else for (const x of Object.values(v)) alertRules(x, out);
  }
  return out;
}

const CPU = /\b(container_cpu_\w+|node_cpu_\w+|process_cpu_\w+|cpu_usage\w*|kube_pod_container_resource_limits\{[^}]*cpu)/;
const CI_FILE = (p: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) || p === '.gitlab-ci.yml' || /^\.gitlab\/.+\.ya?ml$/.test(p);
const GITLAB_KEYWORDS = new Set(['stages', 'variables', 'workflow', 'include', 'default', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

/** Minutes of a GitLab duration (`90m`, `1h 30m`, `2 hours`, `3600`, `1h30m`); undefined when unreadable. */
export function gitlabMinutes(v: unknown): number | undefined {
  if (typeof v === 'number') return v / 60;
  if (typeof v !== 'string') return undefined;
  const units: Record<string, number> = { s: 1 / 60, sec: 1 / 60, second: 1 / 60, m: 1, min: 1, minute: 1, h: 60, hr: 60, hour: 60, d: 1440, day: 1440 };
  let total = 0;
  let matched = '';
  for (const m of v.toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s*([a-z]*)/g)) {
    const unit = m[2]!.replace(/s$/, '') || 's';
    const k = units[unit] ?? units[m[2]!];
    if (k === undefined) return undefined;
    total += Number(m[1]) * k;
    matched += m[0];
  }
  return matched.replace(/\s/g, '') === v.toLowerCase().replace(/\s/g, '') && matched ? total : undefined;
}

/** A GitLab job whose every rule runs it only for scheduled or manually started pipelines. */
function scheduledOnly(job: Obj): boolean {
  const rules = job['rules'];
  if (!Array.isArray(rules) || rules.length === 0) return false;
  return rules.every((r) => !isObj(r) || r['when'] === 'never' || (typeof r['if'] === 'string' && /\$CI_PIPELINE_SOURCE\s*==\s*["'](schedule|web|api|trigger)["']/.test(r['if']) && !/\|\|/.test(r['if'])));
}

/**
 * Whether a GitHub workflow runs on changes (push, pull request, merge queue): the feedback loop
 * the handbook means. A reusable workflow (`workflow_call`) counts: its jobs run inside the
 * callers' runs (shared checks and image builds called by each service's CI).
 */
function onChanges(doc: Obj): boolean {
  const on = doc['on'] ?? doc['true'];
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isObj(on) ? Object.keys(on) : [];
  return events.some((e) => ['push', 'pull_request', 'pull_request_target', 'merge_group', 'workflow_call'].includes(e));
}

/** The runbook's repo-relative path when runbook_url is a file of a repository's default branch on GitHub or GitLab. */
function runbookFile(url: string): string | undefined {
  const m = /^https?:\/\/[^/]+\/.+?\/(?:-\/)?blob\/[^/]+\/(.+)$/.exec(url);
  return m ? decodeURIComponent(m[1]!.split(/[?#]/)[0]!) : undefined;
}

export function auditRepo(root: string, now: Date = new Date()): AuditResult {
  const files = walk(root);
  const findings: AuditFinding[] = [];
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  const yamlFiles = files.filter((p) => /\.ya?ml$/.test(p) && statSync(join(root, p)).size < 2_000_000);

  // Alerts: CPU thresholds, runbooks.
  let alertCount = 0;
  for (const p of yamlFiles) {
    const text = read(p);
    if (!text.includes('alert')) continue;
    for (const rule of yamlDocs(text).flatMap((d) => alertRules(d))) {
      alertCount += 1;
      const name = String(rule['alert']);
      if (CPU.test(String(rule['expr']))) {
        findings.push({ rule: 'cpu-alert', file: p, why: `${name}: ${WHY.cpu}`, fix: 'Replace it with SLO burn-rate alerts (`devops-init add monitoring`); keep CPU on a dashboard.' });
      }
      const url = isObj(rule['annotations']) ? rule['annotations']['runbook_url'] : undefined;
      if (typeof url !== 'string' || !url) {
        findings.push({ rule: 'alert-without-runbook', file: p, why: `${name} has no runbook_url. ${WHY.runbook}`, fix: 'Add a runbook_url annotation and write the runbook (`devops-init add incident` seeds one per generated alert).' });
      } else {
        const local = runbookFile(url);
        if (local && !existsSync(join(root, local))) {
          findings.push({ rule: 'alert-without-runbook', file: p, why: `${name} links ${local}, which does not exist. ${WHY.runbook}`, fix: `Write ${local} (\`devops-init add incident\` seeds it for generated alerts).` });
        }
      }
    }
  }

  // Dashboards with no alert anywhere: set up Grafana and forget.
  const dashboards = files.filter((p) => (/\.json$/.test(p) && /dashboard/i.test(p)) || (/\.ya?ml$/.test(p) && /dashboard/i.test(p) && read(p).includes('grafana_dashboard')));
  if (dashboards.length && alertCount === 0) {
    findings.push({ rule: 'dashboards-without-alerts', file: dashboards[0]!, why: `${dashboards.length} dashboard file(s) and no alerting rule in the repository. ${WHY.grafana}`, fix: '`devops-init add monitoring`: SLOs with burn-rate alerts, and a review of the dashboards in the weekly ops meeting.' });
  }

  // CI: timeouts, scans, previews, pins.
  const ci = files.filter(CI_FILE);
  if (ci.length === 0) {
    findings.push({ rule: 'no-ci', file: '.', why: `No CI pipeline (.github/workflows, .gitlab-ci.yml). ${WHY.ci}`, fix: '`devops-init add ci`' });
  }
  let ciText = '';
  // GitLab jobs as GitLab runs them: `extends` resolved across every included file (a thin job
  // takes its timeout from the template it extends).
  const gitlab = gitlabJobs(ci.filter((p) => !p.startsWith('.github/')).flatMap((p) => yamlDocs(read(p)).map((doc) => ({ path: p, doc }))));
  for (const p of ci) {
    const text = read(p);
    ciText += `\n${text}`;
    for (const doc of yamlDocs(text)) {
      if (!isObj(doc)) continue;
      if (p.startsWith('.github/')) {
        const jobs = isObj(doc['jobs']) ? doc['jobs'] : {};
        for (const [id, job] of Object.entries(jobs)) {
          if (isObj(job) && job['uses'] === undefined && job['timeout-minutes'] === undefined) {
            findings.push({ rule: 'ci-job-without-timeout', file: p, why: `Job ${id} has no timeout-minutes. ${WHY.timeout}`, fix: `Add \`timeout-minutes:\` to job ${id} (15 or less for checks).` });
          }
          const minutes = isObj(job) ? job['timeout-minutes'] : undefined;
          // Deployments (jobs with an environment) and scheduled/manual workflows are not the feedback loop.
          if (typeof minutes === 'number' && minutes > 15 && onChanges(doc) && isObj(job) && job['environment'] === undefined) {
            findings.push({ rule: 'ci-job-over-15-minutes', file: p, why: `Job ${id} may run ${minutes} minutes on every change. ${WHY.long}`, fix: `Make job ${id} fit in 15 minutes (cache dependencies, split or parallelise tests, build only what changed) and set \`timeout-minutes: 15\`.` });
          }
        }
      } else {
        for (const [id, written] of Object.entries(doc)) {
          const job = gitlab.get(id)?.job ?? written;
          if (GITLAB_KEYWORDS.has(id) || id.startsWith('.') || !isObj(job) || !('script' in job || 'trigger' in job)) continue;
          const timeout = job['timeout'] ?? (isObj(doc['default']) ? doc['default']['timeout'] : undefined);
          if (timeout === undefined && 'script' in job) {
            findings.push({ rule: 'ci-job-without-timeout', file: p, why: `Job ${id} has no timeout. ${WHY.timeout}`, fix: `Add \`timeout:\` to job ${id} (15m or less for checks).` });
          }
          const minutes = gitlabMinutes(timeout);
          if (minutes !== undefined && minutes > 15 && 'script' in job && job['environment'] === undefined && !scheduledOnly(job)) {
            findings.push({ rule: 'ci-job-over-15-minutes', file: p, why: `Job ${id} may run ${String(timeout)} on every change. ${WHY.long}`, fix: `Make job ${id} fit in 15 minutes (cache dependencies, split or parallelise tests, build only what changed) and set \`timeout: 15m\`.` });
          }
        }
      }
    }
    for (const m of text.matchAll(/^\s*(?:-\s*)?uses:\s*["']?([^\s"'#]+)/gm)) {
      const ref = m[1]!;
      if (ref.startsWith('./') || ref.startsWith('docker://')) continue;
      const at = ref.lastIndexOf('@');
      if (at < 0 || !/^[0-9a-f]{40}$/.test(ref.slice(at + 1))) {
        findings.push({ rule: 'unpinned-action', file: p, why: `${ref} is not pinned to a commit SHA. ${WHY.pins}`, fix: `Pin it: \`uses: ${at < 0 ? ref : ref.slice(0, at)}@<40-character SHA> # <tag>\` (Dependabot keeps pins current).` });
      }
    }
  }
  if (ci.length) {
    const first = ci[0]!;
    if (!/trivy/i.test(ciText)) findings.push({ rule: 'no-trivy', file: first, why: `No CI job runs Trivy. ${WHY.scans}`, fix: '`devops-init add ci` (image and dependency scans with Trivy), or add a Trivy step.' });
    if (!/gitleaks/i.test(ciText)) findings.push({ rule: 'no-gitleaks', file: first, why: `No CI job runs gitleaks. ${WHY.scans}`, fix: '`devops-init add ci` (the security pipeline runs gitleaks), or add a gitleaks step.' });
  }
  const previews = ci.some((p) => /preview|review\//i.test(read(p))) || yamlFiles.some((p) => /\bpullRequest:/.test(read(p)));
  if (!previews) {
    findings.push({ rule: 'no-preview-environments', file: ci[0] ?? '.', why: WHY.previews, fix: '`devops-init add gitops` with `gitops.previews: true` (a namespace per labelled pull or merge request).' });
  }
  // Dockerfiles that install Node's OpenTelemetry by name (a seeded Dockerfile older than the lock, or the team's own).
  for (const p of files.filter(DOCKERFILE)) {
    const text = read(p).replace(/\\\n/g, ' ');
    if (/^\s*RUN\b.*\bnpm (install|i|add)\b[^\n]*@opentelemetry\/auto-instrumentations-node/m.test(text)) {
      const lock = existsSync(join(root, OTEL_NODE_LOCK));
      findings.push({
        rule: 'unlocked-otel-install',
        file: p,
        why: WHY.otel,
        fix: lock
          ? 'Install from the lock devops-init keeps: `COPY --from=otel-node package.json package-lock.json ./` then `RUN npm ci --omit=dev` (docs/observability.md, "Every OpenTelemetry package pinned"; CI passes the otel-node build context).'
          : 'Install it with `npm ci` from a committed package.json and package-lock.json (or `devops-init add observability` with ci, which ships one).',
      });
    }
  }
  // The postmortem clock of devops.yaml when the incident practice set it (the handbook's 5 otherwise).
  const days = files.includes('devops.yaml') ? Number(/^\s+postmortemBusinessDays:\s*(\d+)/m.exec(read('devops.yaml'))?.[1] ?? 5) : 5;
  const history = historyAudit(files, read, now, days);
  return { findings: [...findings, ...history.findings], skipped: history.skipped };
}
