/**
 * detect(root): read-only facts about a repository — its services, their language, version,
 * package manager, commands, port, probes, build context and Dockerfile, each with its evidence;
 * deployables in other languages; folders it will not deploy; the repository's conventions and
 * existing Kubernetes configuration; the git remote and existing workflows.
 * Synchronous reads only; never spawns a process, never runs project code, never writes.
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_PORTS } from '../spec/defaults.js';
import { readCompose, type Compose } from './compose.js';
import { manifestWorkloads, readConventions, readDeployments, type ManifestWorkload } from './conventions.js';
import { enrich } from './enrich.js';
import { found, guessed } from './evidence.js';
import { joinRel, RepoFs } from './fsread.js';
import { readGit } from './git.js';
import { moduleBaseName, parseGoMod, probeGo } from './go.js';
import { mavenFacts, probeJava } from './java.js';
import { discover, languageOf, mobileApp, NOT_SERVICES, type Candidate } from './layout.js';
import { dedupeNames, firstLabel, toDnsLabel } from './names.js';
import { probeNode, type PackageJson } from './node.js';
import { otherCommands, otherLanguage } from './otherlangs.js';
import { pythonStart } from './pystart.js';
import { probePython, readPyproject } from './python.js';
import { nodeStart, type StartGuess } from './start.js';
import type { ContainerService, DetectedLanguage, DetectedService, ExistingDeployment, Fact, RepoFacts, ServiceEvidence, SkippedFolder } from './types.js';

export type { ContainerService, DetectedService, Fact, RepoFacts, MonorepoKind, ServiceEvidence } from './types.js';
export { describeFacts } from './describe.js';
export { startForPort } from './start.js';
export { missingCopySources } from './dockerfile.js';

/** Package names that say nothing about the service (workspace roots, templates). */
const PLACEHOLDER_NAMES = new Set(['source', 'src', 'application', 'project', 'workspace', 'root', 'monorepo', 'my-app', 'myapp', 'template', 'untitled']);
/** Folder names that hold a service's code rather than name it: use the parent's name. */
const CODE_FOLDERS = new Set(['src', 'app', 'docker', 'build', 'deploy', 'server', 'source']);
/** Folders whose Dockerfiles are tooling, never services. */
const TEST_IMAGE = /(^|[-_.])(playwright|cypress|tests?|e2e|integration-tests?)([-_.]|$)/i;
const TOOL_FOLDERS = new Set(['genproto', 'proto', 'protos', '.devcontainer', 'devcontainer', 'ci', '.ci', 'tools', 'tooling']);

interface Context {
  fs: RepoFs;
  compose: Compose;
  workloads: ManifestWorkload[];
  notes: string[];
  multi: boolean;
  repository?: string;
}

export function detect(root: string): RepoFacts {
  const abs = resolve(root);
  const fs = new RepoFs(abs);
  const notes: string[] = [];

  const layout = discover(fs, notes);
  const compose = readCompose(fs);
  const deployments = readDeployments(fs);
  const workloads = deployments.filter((d) => d.kind !== 'helm').flatMap((d) => manifestWorkloads(fs, d.path)).slice(0, 2000);

  // Every Dockerfile that could build a deployable: compose-built ones, then any folder's Dockerfile.
  const composeBuilt = new Map<string, string>(); // dockerfile → compose service name
  const skipped: SkippedFolder[] = [...layout.skipped];
  for (const s of compose.services) {
    if (!s.build || fs.read(s.build.dockerfile, 1) === undefined) continue;
    // Test runners built by compose (playwright, cypress, a tests service) are not deployables.
    if (TEST_IMAGE.test(s.name) || TEST_IMAGE.test(basename(s.build.dockerfile)) || /test/.test(s.file)) {
      skipped.push({ path: s.build.dockerfile, reason: `compose service "${s.name}" (${s.file}) builds a test image` });
      continue;
    }
    composeBuilt.set(s.build.dockerfile, s.name);
  }
  const dockerfiles = new Map<string, string>(); // dir → dockerfile
  for (const df of composeBuilt.keys()) {
    const dir = parentOf(df);
    if (!dockerfiles.has(dir) || basename(df) === 'Dockerfile') dockerfiles.set(dir, df);
  }
  for (const d of ['.', ...fs.walk('.', 4)]) if (fs.has(d, 'Dockerfile') && !dockerfiles.has(d) && !skipped.some((s) => s.path === joinRel(d, 'Dockerfile'))) dockerfiles.set(d, joinRel(d, 'Dockerfile'));

  const candidates = [...layout.candidates];
  const containerDirs: { dir: string; dockerfile: string }[] = [];
  const candidateDirs = new Set(candidates.map((c) => c.dir));
  const dockerDirs = [...dockerfiles.keys()].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  const accepted: string[] = [];
  for (const dir of dockerDirs) {
    if (candidateDirs.has(dir)) {
      accepted.push(dir);
      continue;
    }
    const df = dockerfiles.get(dir)!;
    const byCompose = composeBuilt.has(df);
    const segs = dir === '.' ? [] : dir.split('/');
    if (!byCompose && segs.some((s) => NOT_SERVICES.has(s))) {
      skipped.push({ path: dir, reason: `Dockerfile under ${segs.find((s) => NOT_SERVICES.has(s))}/ (tests, docs or examples)` });
      continue;
    }
    if (!byCompose && segs.some((s) => TOOL_FOLDERS.has(s))) {
      skipped.push({ path: dir, reason: `Dockerfile in ${segs.find((s) => TOOL_FOLDERS.has(s))}/: a tooling image (code generation, dev container), not a service` });
      continue;
    }
    const owner = [...candidateDirs, ...accepted].find((c) => c !== '.' && dir.startsWith(`${c}/`));
    if (owner && !byCompose) {
      skipped.push({ path: dir, reason: `Dockerfile inside the service at ${owner}, and no compose file builds it: a helper image` });
      continue;
    }
    accepted.push(dir);
    const lang = languageOf(fs, dir);
    if (lang && !otherLanguage(fs, dir)) {
      if (lang.language === 'node' && mobileApp(readPackageJsonQuiet(fs, dir))) continue;
      candidates.push({ dir, ...lang });
      candidateDirs.add(dir);
    } else containerDirs.push({ dir, dockerfile: df });
  }

  const git = readGit(fs);
  const ctx: Context = { fs, compose, workloads, notes, multi: candidates.length + containerDirs.length > 1, ...(git.repository ? { repository: git.repository } : {}) };
  const services = candidates.map((c) => probeService(ctx, c, dockerfiles.get(c.dir)));
  services.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const containerServices = containerDirs.map((c) => probeContainer(ctx, c.dir, c.dockerfile, composeBuilt.get(c.dockerfile)));
  containerServices.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Names are unique across both lists: they share image names and namespaces later.
  const all: { name: string; path: string; evidence: ServiceEvidence }[] = [...services, ...containerServices];
  dedupeNames(all);
  for (const s of all) if (s.evidence.name.value !== s.name) s.evidence.name = { ...s.evidence.name, value: s.name, source: `${s.evidence.name.source}; renamed to stay unique` };

  // Folders with a manifest but no deployable, beyond what the layout already said.
  for (const d of fs.walk('.', 3)) {
    if (candidateDirs.has(d) || accepted.includes(d) || skipped.some((s) => s.path === d || d.startsWith(`${s.path}/`))) continue;
    if (all.some((s) => s.path !== '.' && d.startsWith(`${s.path}/`))) continue;
    if (d.split('/').some((s) => NOT_SERVICES.has(s))) continue;
    const other = otherLanguage(fs, d);
    if (other && d.split('/').length <= 2) skipped.push({ path: d, reason: `${other.language} project (${other.manifest}) without a Dockerfile: devops-init deploys ${other.language} only from the project's own Dockerfile` });
  }

  for (const dep of deployments) dep.services = deploymentServices(fs, dep, all.map((s) => ({ name: s.name, path: s.path })));

  notes.push(...git.notes);
  const project = projectName(fs, abs, git.repository);
  const guesses: RepoFacts['guesses'] = [];
  for (const s of all) collectGuesses(s.name, s.evidence, guesses);
  if (project.guess) guesses.push({ service: '(project)', fact: 'name', value: project.value, because: project.source ?? '', fix: project.fix ?? '--name' });

  const facts: RepoFacts = {
    root: abs,
    // Kept as before (root manifest name, else folder) until init adopts projectNameEvidence.
    projectName: legacyProjectName(fs, abs),
    projectNameEvidence: project,
    services,
    containerServices,
    skipped: dedupeSkipped(skipped.filter((k) => !all.some((s) => s.path === k.path))).sort((a, b) => (a.path < b.path ? -1 : 1)),
    composeFiles: compose.files,
    deployments,
    conventions: readConventions(fs),
    existingWorkflows: workflows(fs),
    guesses,
    notes: [...new Set(notes)],
  };
  if (git.repository) facts.repository = git.repository;
  if (git.remote) facts.remote = git.remote;
  if (git.defaultBranch) facts.defaultBranch = git.defaultBranch;
  const monorepo = layout.monorepo ?? (compose.services.some((s) => s.build) && all.length > 1 ? 'compose' : all.length > 1 ? 'folders' : undefined);
  if (monorepo) facts.monorepo = monorepo;
  return facts;
}

function parentOf(p: string): string {
  return p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.';
}

function dedupeSkipped(list: SkippedFolder[]): SkippedFolder[] {
  const seen = new Set<string>();
  return list.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

/** Service name: the compose service that builds it, else the folder (its parent for src/, app/ …), else the manifest. */
function serviceName(ctx: Context, dir: string, dockerfile: string | undefined, manifestName: string | undefined, rootFolder: string): Fact<string> {
  // The repository root is named like the repository (origin), not like the folder it was cloned into.
  const repoName = ctx.repository ? toDnsLabel(ctx.repository.split('/')[1]!) : '';
  const composeName = dockerfile ? ctx.compose.services.find((s) => s.build?.dockerfile === dockerfile)?.name : undefined;
  // A compose service called "app" or "web" in a one-service repository names the role, not the service.
  const composeLabel = composeName ? toDnsLabel(composeName) : '';
  const genericCompose = PLACEHOLDER_NAMES.has(composeLabel) || (!ctx.multi && ['app', 'web', 'main', 'server', 'service'].includes(composeLabel));
  if (composeName && composeLabel && !genericCompose) return found(toDnsLabel(composeName), `compose service "${composeName}" builds ${dockerfile}`);
  const segs = dir === '.' ? [rootFolder] : dir.split('/');
  let folder = segs[segs.length - 1]!;
  if (CODE_FOLDERS.has(folder) && segs.length > 1) folder = segs[segs.length - 2]!;
  const label = toDnsLabel(folder);
  // Existing Kubernetes manifests that name the workload like the folder: the team's own name for it.
  const workload = dir !== '.' && label ? ctx.workloads.find((w) => w.name === label) : undefined;
  if (workload) return found(label, `${workload.file} (${workload.kind} ${workload.name}) and folder ${dir}`);
  const manifest = manifestName ? toDnsLabel(manifestName) : '';
  const scoped = manifestName ? /^@[^/]+\/(.+)$/.exec(manifestName)?.[1] : undefined;
  const placeholder = !manifest || PLACEHOLDER_NAMES.has(manifest) || (scoped !== undefined && PLACEHOLDER_NAMES.has(toDnsLabel(scoped)));
  if (manifest && !placeholder) return found(manifest, `manifest name "${manifestName}"`);
  const why = manifestName ? ` (manifest name "${manifestName}" is a placeholder)` : '';
  if (dir === '.' && repoName) return found(repoName, `origin remote ${ctx.repository}${why}`);
  if (label) return found(label, `folder ${dir === '.' ? `${rootFolder} (repository root)` : dir}${why}`);
  return guessed(manifest || 'svc', 'no usable folder or manifest name', '--name / services[].name');
}

function probeService(ctx: Context, c: Candidate, dockerfile: string | undefined): DetectedService {
  const { fs, notes } = ctx;
  const pkg = c.language === 'node' ? readPackageJsonQuiet(fs, c.dir) : undefined;
  const probe =
    c.language === 'node'
      ? probeNode(fs, c.dir, pkg, notes, c.workspace)
      : c.language === 'python'
        ? probePython(fs, c.dir, notes)
        : c.language === 'go'
          ? probeGo(fs, c.dir, notes)
          : probeJava(fs, c.dir, notes);
  const name = serviceName(ctx, c.dir, dockerfile, probe.nameHint, basename(fs.root));
  const svc: DetectedService = {
    name: name.value,
    path: c.dir,
    language: c.language,
    packageManager: probe.packageManager,
    commands: probe.commands,
    evidence: undefined as unknown as ServiceEvidence,
    reasons: [`${joinRel(c.dir, c.manifest)} → ${c.language}`, ...probe.reasons],
  };
  if (c.workspace) svc.workspaceRoot = '.';
  if (dockerfile) {
    svc.dockerfile = dockerfile;
    svc.reasons.push(`${dockerfile} exists → reused`);
  }
  const versionReason = probe.version ? probe.reasons.find((r) => r.includes(`→ ${label(c.language)} ${probe.version}`)) : undefined;
  const commands: ServiceEvidence['commands'] = {};
  for (const k of ['install', 'test', 'lint', 'build'] as const) {
    const cmd = svc.commands[k];
    if (cmd) commands[k] = found(cmd, svc.reasons.find((r) => r.includes(cmd) && r !== `install: ${cmd}`)?.replace(/ → .*$/, '') ?? `${joinRel(c.dir, c.manifest)}`);
  }
  svc.evidence = enrich({
    fs,
    dir: c.dir,
    name,
    language: found<DetectedLanguage>(c.language, joinRel(c.dir, c.manifest)),
    ...(dockerfile ? { dockerfile } : {}),
    compose: ctx.compose,
    workloads: ctx.workloads,
    manifests: manifestText(fs, c.dir, c.language),
    ...(probe.version ? { version: { value: probe.version, source: versionReason?.replace(/ → .*$/, '') ?? joinRel(c.dir, c.manifest) } } : {}),
    commands,
    ...(svc.commands.build ? { buildCommand: svc.commands.build } : {}),
    notes,
  });
  const ev = svc.evidence;
  if (ev.version && ev.version.value !== probe.version) {
    svc.version = ev.version.value;
    svc.reasons.push(`${ev.version.source} → ${label(c.language)} ${ev.version.value} (the image's runtime wins)`);
  } else if (probe.version) svc.version = probe.version;
  // Framework defaults stay in the evidence only: init keeps its own default until the lead wires them.
  if (ev.port && !ev.port.guess && !/default port/.test(ev.port.source ?? '')) {
    svc.port = ev.port.value;
    svc.reasons.push(`port ${ev.port.value}: ${ev.port.source}`);
  }
  // The start command only feeds the seeded Dockerfile; a reused Dockerfile already has its CMD.
  // Go and Java images run the binary or jar they build, so they need none.
  if (!svc.dockerfile) {
    let guess: StartGuess | undefined;
    if (c.language === 'node') guess = nodeStart(fs, c.dir, pkg, svc.packageManager);
    if (c.language === 'python') guess = pythonStart(fs, c.dir, svc.packageManager, svc.port ?? DEFAULT_PORTS.python);
    if (guess?.start) svc.start = guess.start;
    svc.reasons.push(...(guess?.reasons ?? []));
    notes.push(...(guess?.notes ?? []));
  }
  return svc;
}

function label(language: string): string {
  return ({ node: 'Node', python: 'Python', go: 'Go', java: 'Java' } as Record<string, string>)[language] ?? language;
}

function probeContainer(ctx: Context, dir: string, dockerfile: string, composeName: string | undefined): ContainerService {
  const { fs, notes } = ctx;
  const other = otherLanguage(fs, dir);
  // A Dockerfile in src/ whose project file sits one level up (src/cart/src/Dockerfile, cart.slnx beside src/).
  const lang = other ?? (CODE_FOLDERS.has(basename(dir)) ? otherLanguage(fs, parentOf(dir)) : undefined);
  const language: DetectedLanguage = lang?.language ?? 'container';
  const manifestName = language === 'rust' ? /^\s*name\s*=\s*"([^"]+)"/m.exec(fs.read(joinRel(dir, 'Cargo.toml')) ?? '')?.[1] : undefined;
  const name = serviceName(ctx, dir, dockerfile, manifestName, basename(fs.root));
  void composeName;
  const cmds = lang ? otherCommands(fs, dir, lang) : {};
  const commands: ServiceEvidence['commands'] = {};
  if (cmds.test) commands.test = cmds.test;
  if (cmds.lint) commands.lint = cmds.lint;
  if (cmds.build) commands.build = cmds.build;
  const evidence = enrich({
    fs,
    dir,
    name,
    language: lang ? found(language, joinRel(dir, lang.manifest)) : found<DetectedLanguage>('container', `${dockerfile} with no language manifest beside it`),
    dockerfile,
    compose: ctx.compose,
    workloads: ctx.workloads,
    manifests: lang ? (fs.read(joinRel(dir, lang.manifest)) ?? '') + manifestExtras(fs, dir, language) : '',
    commands,
    notes,
  });
  const out: ContainerService = { name: name.value, path: dir, language, dockerfile, evidence, reasons: [`${dockerfile} exists → deployable as a container (${language})`] };
  if (lang) out.buildTool = lang.buildTool;
  return out;
}

function manifestExtras(fs: RepoFs, dir: string, language: DetectedLanguage): string {
  if (language === 'dotnet') {
    return [...(fs.list(dir)?.files ?? [])].filter((f) => /\.(csproj|fsproj)$/.test(f)).map((f) => fs.read(joinRel(dir, f)) ?? '').join('\n');
  }
  return '';
}

/** Texts that list a service's dependencies (direct ones: pip-compiled requirements only via requirements.in). */
function manifestText(fs: RepoFs, dir: string, language: string): string {
  const r = (f: string) => fs.read(joinRel(dir, f)) ?? '';
  if (language === 'node') return r('package.json');
  if (language === 'python') return [fs.has(dir, 'requirements.in') ? r('requirements.in') : r('requirements.txt'), r('pyproject.toml')].join('\n');
  if (language === 'go') return r('go.mod');
  return [r('pom.xml'), r('build.gradle'), r('build.gradle.kts'), dir !== '.' ? (fs.read('pom.xml') ?? '') : ''].join('\n');
}

/** Which detected services an existing chart, kustomization or manifest folder deploys. */
function deploymentServices(fs: RepoFs, dep: ExistingDeployment, services: { name: string; path: string }[]): string[] {
  const texts: string[] = [];
  const dirs = [dep.path, ...fs.walk(dep.path, Math.min(dep.path === '.' ? 2 : dep.path.split('/').length + 2, 6))].slice(0, 40);
  for (const d of dirs) for (const f of [...(fs.list(d)?.files ?? [])].filter((n) => /\.(ya?ml|tpl)$/.test(n)).slice(0, 60)) texts.push(fs.read(joinRel(d, f), 128 * 1024) ?? '');
  const all = texts.join('\n');
  return services
    .filter((s) => {
      const folder = s.path === '.' ? s.name : s.path.split('/').pop()!;
      const re = (n: string) => new RegExp(`(?:name:\\s*|image:\\s*\\S*[/:]|/)${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:["'\\s:@]|$)`, 'm');
      return re(s.name).test(all) || re(folder).test(all);
    })
    .map((s) => s.name);
}

function collectGuesses(service: string, ev: ServiceEvidence, out: RepoFacts['guesses']): void {
  const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  const facts: [string, Fact<unknown> | undefined][] = [
    ['name', ev.name],
    ['kind', ev.kind],
    ['port', ev.port],
    ...(JSON.stringify(ev.liveness?.value) === JSON.stringify(ev.readiness?.value)
      ? ([['probes', ev.readiness]] as [string, Fact<unknown> | undefined][])
      : ([['liveness', ev.liveness], ['readiness', ev.readiness]] as [string, Fact<unknown> | undefined][])),
  ];
  for (const [fact, f] of facts) {
    if (f?.guess) out.push({ service, fact, value: show(f.value), because: f.source ?? '', fix: f.fix ?? '' });
  }
}

/** package.json was already read (and any parse error noted) during discovery; don't note twice. */
function readPackageJsonQuiet(fs: RepoFs, dir: string): PackageJson | undefined {
  const text = fs.read(joinRel(dir, 'package.json'));
  try {
    const v: unknown = text === undefined ? undefined : JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The name init uses today: the root manifest's name, else the folder. */
function legacyProjectName(fs: RepoFs, abs: string): string {
  const pkg = readPackageJsonQuiet(fs, '.');
  const py = readPyproject(fs, '.', []);
  const goMod = fs.read('go.mod');
  const pom = fs.read('pom.xml');
  const settings = fs.read('settings.gradle.kts') ?? fs.read('settings.gradle');
  const pyName = py?.get('project')?.name ?? py?.get('tool.poetry')?.name;
  return firstLabel(
    [
      typeof pkg?.name === 'string' ? pkg.name : undefined,
      typeof pyName === 'string' ? pyName : undefined,
      goMod ? moduleBaseName(parseGoMod(goMod).module ?? '') : undefined,
      pom ? mavenFacts(pom).artifactId : undefined,
      settings ? /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings)?.[1] : undefined,
      basename(abs),
    ],
    'project',
  );
}

/** The origin remote's repository name, else the root manifest name (unless a placeholder), else the folder. */
function projectName(fs: RepoFs, abs: string, repository: string | undefined): Fact<string> {
  const fromRemote = repository ? toDnsLabel(repository.split('/')[1]!) : '';
  if (fromRemote) return found(fromRemote, `origin remote ${repository}`);
  const ignore: string[] = [];
  const pkg = readPackageJsonQuiet(fs, '.');
  const py = readPyproject(fs, '.', ignore);
  const goMod = fs.read('go.mod');
  const pom = fs.read('pom.xml');
  const settings = fs.read('settings.gradle.kts') ?? fs.read('settings.gradle');
  const pyName = py?.get('project')?.name ?? py?.get('tool.poetry')?.name;
  const named: [string | undefined, string][] = [
    [typeof pkg?.name === 'string' ? pkg.name : undefined, 'package.json name'],
    [typeof pyName === 'string' ? pyName : undefined, 'pyproject.toml name'],
    [goMod ? moduleBaseName(parseGoMod(goMod).module ?? '') : undefined, 'go.mod module'],
    [pom ? mavenFacts(pom).artifactId : undefined, 'pom.xml artifactId'],
    [settings ? /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings)?.[1] : undefined, 'settings.gradle rootProject.name'],
  ];
  for (const [n, where] of named) {
    if (!n) continue;
    const l = toDnsLabel(n);
    const scoped = /^@[^/]+\/(.+)$/.exec(n);
    if (l && !PLACEHOLDER_NAMES.has(l) && !(scoped && PLACEHOLDER_NAMES.has(toDnsLabel(scoped[1]!)))) return found(l, `${where} "${n}" (no origin remote)`);
  }
  const folder = firstLabel([basename(abs)], 'project');
  return guessed(folder, 'no origin remote and no usable manifest name: the folder name', '--name or project.name');
}

function workflows(fs: RepoFs): string[] {
  const dir = '.github/workflows';
  return [...(fs.list(dir)?.files ?? [])]
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}
