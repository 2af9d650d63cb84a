/**
 * Human-readable lines about what detection found, for `init --dry-run`: one summary line per
 * service, then every fact with its evidence (guesses marked), container-only services, folders
 * seen but not deployed with the reason, the repository's conventions, and finally every guess
 * together with the flag or devops.yaml key that fixes it.
 */
import type { Fact, Probe, RepoFacts, ServiceEvidence } from './types.js';

const LANGUAGE_LABEL: Record<string, string> = {
  node: 'Node', python: 'Python', go: 'Go', java: 'Java', kotlin: 'Kotlin', dotnet: '.NET', rust: 'Rust', cpp: 'C++', php: 'PHP', ruby: 'Ruby', elixir: 'Elixir', container: 'container image',
};
const SOURCE_LABEL: Record<string, string> = { go: 'go.mod', maven: 'Maven', gradle: 'Gradle' };

const MONOREPO_LABEL = {
  'npm-workspaces': 'npm workspaces',
  'pnpm-workspaces': 'pnpm workspaces',
  'yarn-workspaces': 'yarn workspaces',
  'go-work': 'Go workspace (go.work)',
  folders: 'one folder per service',
  compose: 'services built by a compose file',
} as const;

export function showProbe(p: Probe): string {
  if (p.type === 'http') return `HTTP GET ${p.path} on ${p.port}`;
  if (p.type === 'grpc') return `gRPC health on ${p.port}`;
  if (p.type === 'tcp') return `TCP on ${p.port}`;
  return 'none (no port)';
}

function line<T>(label: string, f: Fact<T> | undefined, show: (v: T) => string = String): string | undefined {
  if (!f) return undefined;
  return f.guess ? `${label}: ${show(f.value)} — GUESS: ${f.source ?? 'nothing says'} (fix: ${f.fix})` : `${label}: ${show(f.value)} — ${f.source ?? 'detected'}`;
}

/** The evidence lines of one service, indented under its summary. */
export function describeEvidence(ev: ServiceEvidence): string[] {
  const out: (string | undefined)[] = [
    line('name', ev.name),
    line('language', ev.language, (v) => LANGUAGE_LABEL[v] ?? v),
    line('framework', ev.framework),
    line('kind', ev.kind),
    line('version', ev.version),
    line('port', ev.port),
  ];
  if (ev.liveness && ev.readiness && JSON.stringify(ev.liveness.value) === JSON.stringify(ev.readiness.value)) out.push(line('probes', ev.liveness, showProbe));
  else out.push(line('liveness', ev.liveness, showProbe), line('readiness', ev.readiness, showProbe));
  if (ev.build) {
    out.push(line('dockerfile', ev.build.dockerfile), line('build context', ev.build.context), line('before docker build', ev.build.prebuild));
    if (ev.build.missingSources.length) out.push(`build: COPY sources missing from the context: ${ev.build.missingSources.join(', ')}`);
    out.push(ev.build.dockerignore ? `.dockerignore: ${ev.build.dockerignore}` : '.dockerignore: none (the build sends the whole context)');
  }
  for (const k of ['test', 'lint'] as const) out.push(line(k, ev.commands[k]));
  if (ev.requiredEnv.length) out.push(`required env (no default; provide from a ConfigMap or Secret): ${ev.requiredEnv.map((e) => `${e.name} (${e.source})`).join('; ')}`);
  for (const t of ev.testServices) out.push(`test service: ${t.name} (${t.kind}, image ${t.image}${t.port ? `, port ${t.port}` : ''}) — ${t.source}`);
  if (ev.testNote) out.push(`tests: ${ev.testNote}`);
  return out.filter((x): x is string => !!x);
}

export function describeFacts(facts: RepoFacts): string[] {
  const lines: string[] = [];
  const where = [facts.repository, facts.defaultBranch && `default branch ${facts.defaultBranch}`].filter(Boolean);
  lines.push(`project: ${facts.projectName}${where.length ? ` (${where.join(', ')})` : ''}`);
  if (facts.projectNameEvidence.value !== facts.projectName && !facts.projectNameEvidence.guess) lines.push(`project name by origin: ${facts.projectNameEvidence.value} — ${facts.projectNameEvidence.source}`);
  if (facts.monorepo) lines.push(`layout: ${MONOREPO_LABEL[facts.monorepo]}`);
  if (facts.services.length === 0 && facts.containerServices.length === 0) lines.push('services: none found');
  for (const s of facts.services) {
    const runtime = `${LANGUAGE_LABEL[s.language]} ${s.version ?? '(version unknown)'}`;
    const parts = [
      `${runtime} (${SOURCE_LABEL[s.packageManager] ?? s.packageManager})`,
      s.commands.test ?? 'no test command',
      s.port ? `port ${s.port}` : undefined,
      s.start ? `runs \`${s.start}\`` : undefined,
      s.dockerfile ? 'existing Dockerfile' : 'no Dockerfile yet',
    ].filter(Boolean);
    lines.push(`${label(s)}: ${parts.join(', ')}`);
    for (const l of describeEvidence(s.evidence)) lines.push(`    ${l}`);
  }
  for (const s of facts.containerServices) {
    lines.push(`${label(s)}: ${LANGUAGE_LABEL[s.language] ?? s.language}${s.evidence.version ? ` ${s.evidence.version.value}` : ''}, built from ${s.dockerfile} (container service)`);
    for (const l of describeEvidence(s.evidence)) lines.push(`    ${l}`);
  }
  for (const s of facts.skipped) lines.push(`not deployed: ${s.path} — ${s.reason}`);
  for (const d of facts.deployments) lines.push(`existing ${d.kind === 'helm' ? 'Helm chart' : d.kind === 'kustomize' ? 'Kustomize tree' : 'Kubernetes manifests'}: ${d.path}${d.services.length ? ` (deploys ${d.services.join(', ')})` : ''}`);
  const c = facts.conventions;
  if (c.renovate) lines.push(`dependency updates: Renovate (${c.renovate})`);
  if (c.dependabot) lines.push(`dependency updates: Dependabot (${c.dependabot})`);
  if (c.yamllint) {
    const y = c.yamllint;
    const bits = [y.lineLength !== undefined ? `line-length ${y.lineLength === false ? 'off' : y.lineLength}` : undefined, y.commentsMinSpaces !== undefined ? `comments min-spaces-from-content ${y.commentsMinSpaces}` : undefined, y.documentStart ? `document-start ${y.documentStart}` : undefined, y.indentation !== undefined ? `indentation ${y.indentation}` : undefined].filter(Boolean);
    lines.push(`yamllint config: ${y.path}${bits.length ? ` (${bits.join(', ')})` : ''}`);
  }
  if (c.markdownlint) lines.push(`markdownlint config: ${c.markdownlint.path}${c.markdownlint.lineLength !== undefined ? ` (line length ${c.markdownlint.lineLength === false ? 'off' : c.markdownlint.lineLength})` : ''}`);
  if (c.editorconfig) {
    const e = { ...c.editorconfig.all, ...c.editorconfig.yaml };
    const bits = ['indent_size', 'max_line_length'].filter((k) => e[k]).map((k) => `${k} ${e[k]}`);
    lines.push(`.editorconfig${bits.length ? ` (${bits.join(', ')})` : ''}`);
  }
  if (facts.existingWorkflows.length) lines.push(`existing workflows: ${facts.existingWorkflows.join(', ')}`);
  for (const n of facts.notes) lines.push(`note: ${n}`);
  for (const g of facts.guesses) lines.push(`guess: ${g.service} ${g.fact} = ${g.value} (${g.because}) — fix: ${g.fix}`);
  return lines;
}

function label(s: { name: string; path: string }): string {
  const last = s.path.split('/').pop() ?? s.path;
  return s.path === '.' ? `${s.name} (repository root)` : s.name === last ? s.path : `${s.path} [service ${s.name}]`;
}
