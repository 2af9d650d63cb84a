/**
 * detect(root): read-only facts about a repository — its services, their language, version,
 * package manager, commands, port and Dockerfile, the git remote, existing workflows.
 * Synchronous reads only; never spawns a process, never runs project code, never writes.
 */
import { basename, resolve } from 'node:path';
import { DEFAULT_PORTS } from '../spec/defaults.js';
import { joinRel, RepoFs } from './fsread.js';
import { readGit } from './git.js';
import { moduleBaseName, parseGoMod, probeGo } from './go.js';
import { mavenFacts, probeJava } from './java.js';
import { discover, type Candidate } from './layout.js';
import { dedupeNames, firstLabel } from './names.js';
import { probeNode, type PackageJson } from './node.js';
import { findPort } from './ports.js';
import { pythonStart } from './pystart.js';
import { probePython, readPyproject } from './python.js';
import { nodeStart, type StartGuess } from './start.js';
import type { DetectedService, RepoFacts } from './types.js';

export type { DetectedService, RepoFacts, MonorepoKind } from './types.js';
export { describeFacts } from './describe.js';
export { startForPort } from './start.js';

export function detect(root: string): RepoFacts {
  const abs = resolve(root);
  const fs = new RepoFs(abs);
  const notes: string[] = [];

  const layout = discover(fs, notes);
  const services = layout.candidates.map((c) => probeService(fs, c, notes));
  services.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  dedupeNames(services);

  const git = readGit(fs);
  notes.push(...git.notes);

  const facts: RepoFacts = {
    root: abs,
    projectName: projectName(fs, abs),
    services,
    existingWorkflows: workflows(fs),
    notes: [...new Set(notes)],
  };
  if (git.repository) facts.repository = git.repository;
  if (git.remote) facts.remote = git.remote;
  if (git.defaultBranch) facts.defaultBranch = git.defaultBranch;
  if (layout.monorepo) facts.monorepo = layout.monorepo;
  return facts;
}

function probeService(fs: RepoFs, c: Candidate, notes: string[]): DetectedService {
  const probe =
    c.language === 'node'
      ? probeNode(fs, c.dir, readPackageJsonQuiet(fs, c.dir), notes, c.workspace)
      : c.language === 'python'
        ? probePython(fs, c.dir, notes)
        : c.language === 'go'
          ? probeGo(fs, c.dir, notes)
          : probeJava(fs, c.dir, notes);
  const folder = c.dir === '.' ? basename(fs.root) : c.dir.split('/').pop()!;
  const svc: DetectedService = {
    name: firstLabel([probe.nameHint, folder], 'svc'),
    path: c.dir,
    language: c.language,
    packageManager: probe.packageManager,
    commands: probe.commands,
    reasons: [`${joinRel(c.dir, c.manifest)} → ${c.language}`, ...probe.reasons],
  };
  if (probe.version) svc.version = probe.version;
  // Workspace members install (and build their image) from the workspace root, where the lockfile is.
  if (c.workspace) svc.workspaceRoot = '.';
  const dockerfile = joinRel(c.dir, 'Dockerfile');
  if (fs.has(c.dir, 'Dockerfile')) {
    svc.dockerfile = dockerfile;
    svc.reasons.push(`${dockerfile} exists → reused`);
  }
  const port = findPort(fs, c.dir, svc.dockerfile, notes);
  if (port) {
    svc.port = port.port;
    svc.reasons.push(port.reason);
  }
  // The start command only feeds the seeded Dockerfile; a reused Dockerfile already has its CMD.
  // Go and Java images run the binary or jar they build, so they need none.
  if (!svc.dockerfile) {
    let guess: StartGuess | undefined;
    if (c.language === 'node') guess = nodeStart(fs, c.dir, readPackageJsonQuiet(fs, c.dir), svc.packageManager);
    if (c.language === 'python') guess = pythonStart(fs, c.dir, svc.packageManager, svc.port ?? DEFAULT_PORTS.python);
    if (guess?.start) svc.start = guess.start;
    svc.reasons.push(...(guess?.reasons ?? []));
    notes.push(...(guess?.notes ?? []));
  }
  return svc;
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

/** Root manifest name (package.json, pyproject, go.mod, pom.xml, settings.gradle), else the folder. */
function projectName(fs: RepoFs, abs: string): string {
  const ignore: string[] = [];
  const pkg = readPackageJsonQuiet(fs, '.');
  const py = readPyproject(fs, '.', ignore);
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

function workflows(fs: RepoFs): string[] {
  const dir = '.github/workflows';
  return [...(fs.list(dir)?.files ?? [])]
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}
