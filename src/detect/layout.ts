/**
 * Where the deployables are: node workspaces (pnpm-workspace.yaml, package.json "workspaces"),
 * go.work, and first/second-level folders with their own manifest — combined, so a pnpm repo
 * with a Go service under services/ yields both. The root of a workspace is never a service.
 */
import { parse as parseYaml } from 'yaml';
import type { Language } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { expandGlobs } from './glob.js';
import { findMainPackage, parseGoWork } from './go.js';
import { looksRunnable, nodeManager, readPackageJson, type NodeManager, type PackageJson } from './node.js';
import { isKotlin, otherLanguage } from './otherlangs.js';
import type { MonorepoKind } from './types.js';

/** react-native / expo in a package's dependencies: a phone app, not a cluster workload. */
export function mobileApp(pkg: PackageJson | undefined): string | undefined {
  const deps = { ...((pkg as { dependencies?: Record<string, unknown> } | undefined)?.dependencies ?? {}) };
  return ['react-native', 'expo'].find((d) => d in deps);
}

export interface Candidate {
  dir: string;
  language: Language;
  /** The manifest that decided the language, e.g. "go.mod". */
  manifest: string;
  /** Set for members of a node workspace: they install at the root. */
  workspace?: { pm: NodeManager; rootPkg: PackageJson | undefined };
}

export interface Layout {
  monorepo?: MonorepoKind;
  candidates: Candidate[];
  /** Folders with a manifest that are not deployables, with the reason. */
  skipped: { path: string; reason: string }[];
  /** Every folder whose language was decided here (deployable or not). */
  decided: Set<string>;
}

/** Folder names whose manifests are examples, docs or test data, never deployables. */
export const NOT_SERVICES = new Set(['docs', 'doc', 'examples', 'example', 'samples', 'test', 'tests', 'testdata', 'fixtures', 'e2e', 'scripts', 'hack', 'bench', 'benchmarks']);

const LIBRARY_HOMES = new Set(['packages', 'libs']);

/** The language whose manifest sits in `dir`; Go, Java and Python win over a tooling package.json. */
export function languageOf(fs: RepoFs, dir: string): { language: Language; manifest: string } | undefined {
  const order: [string, Language][] = [
    ['go.mod', 'go'],
    ['pom.xml', 'java'],
    ['build.gradle.kts', 'java'],
    ['build.gradle', 'java'],
    ['pyproject.toml', 'python'],
    ['requirements.txt', 'python'],
    ['package.json', 'node'],
  ];
  const hit = order.find(([f]) => fs.has(dir, f));
  return hit ? { language: hit[1], manifest: hit[0] } : undefined;
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** Workspace globs and the kind of workspace, if the root declares one. */
function nodeWorkspace(fs: RepoFs, rootPkg: PackageJson | undefined, notes: string[]) {
  if (fs.has('.', 'pnpm-workspace.yaml')) {
    let patterns: string[] = [];
    try {
      const doc: unknown = parseYaml(fs.read('pnpm-workspace.yaml') ?? '');
      patterns = stringArray((doc as { packages?: unknown } | null)?.packages) ?? [];
    } catch (e) {
      notes.push(`pnpm-workspace.yaml: invalid YAML (${(e as Error).message.split('\n')[0]}); no workspace members read`);
    }
    const pm = nodeManager(fs, '.', rootPkg, { manager: 'pnpm', because: 'pnpm-workspace.yaml' });
    return { kind: 'pnpm-workspaces' as const, patterns, pm };
  }
  const ws = rootPkg?.workspaces;
  const patterns = stringArray(ws) ?? stringArray((ws as { packages?: unknown } | undefined)?.packages);
  if (!patterns) return undefined;
  const pm = nodeManager(fs, '.', rootPkg);
  const kind: MonorepoKind = pm.manager === 'yarn' ? 'yarn-workspaces' : pm.manager === 'pnpm' ? 'pnpm-workspaces' : 'npm-workspaces';
  return { kind, patterns, pm };
}

export function discover(fs: RepoFs, notes: string[]): Layout {
  const rootPkg = fs.has('.', 'package.json') ? readPackageJson(fs, '.', notes) : undefined;
  const candidates: Candidate[] = [];
  const decided = new Set<string>();
  let monorepo: MonorepoKind | undefined;
  const skipped: { path: string; reason: string }[] = [];
  const library = (dir: string, why: string) => {
    notes.push(`${dir}: library (${why}); not a deployable service`);
    skipped.push({ path: dir, reason: `library: ${why}` });
  };

  const ws = nodeWorkspace(fs, rootPkg, notes);
  if (ws) {
    monorepo = ws.kind;
    notes.push(...ws.pm.notes);
    const workspace = { pm: ws.pm, rootPkg };
    for (const dir of expandGlobs(fs, ws.patterns, 'package.json')) {
      decided.add(dir);
      const pkg = readPackageJson(fs, dir, notes);
      const mobile = mobileApp(pkg);
      const r = looksRunnable(dir, pkg, fs.has(dir, 'Dockerfile'));
      if (mobile) skipped.push({ path: dir, reason: `mobile app (${mobile} dependency): not deployed to a cluster` });
      else if (r.runnable) candidates.push({ dir, language: 'node', manifest: 'package.json', workspace });
      else library(dir, r.why);
    }
  }

  if (fs.has('.', 'go.work')) {
    monorepo ??= 'go-work';
    for (const dir of parseGoWork(fs.read('go.work') ?? '')) {
      decided.add(dir);
      if (!fs.has(dir, 'go.mod')) notes.push(`go.work uses ${dir}, which has no go.mod`);
      else if (findMainPackage(fs, dir)) candidates.push({ dir, language: 'go', manifest: 'go.mod' });
      else library(dir, 'no package main');
    }
  }

  // Folders with their own manifest, one or two levels down (services/*, apps/*, or ./api).
  const root = languageOf(fs, '.');
  const rootIsJavaBuild = root?.language === 'java';
  let skippedModules = 0;
  const folderServices: Candidate[] = [];
  const consider = (dir: string, lang: { language: Language; manifest: string }) => {
    if (decided.has(dir)) return;
    decided.add(dir);
    const hasDockerfile = fs.has(dir, 'Dockerfile');
    const kotlin = lang.language === 'java' ? isKotlin(fs, dir) : undefined;
    if (kotlin) return; // Kotlin: deployed as a container when it has a Dockerfile (index.ts)
    if (lang.language === 'java' && rootIsJavaBuild) {
      skippedModules++; // a module of the root Maven/Gradle build, built from the root
      return;
    }
    // A Rails, Phoenix, Laravel … app keeps its JS tooling in package.json: its own language wins.
    if (lang.language === 'node' && otherLanguage(fs, dir)) return;
    if (lang.language === 'node') {
      const pkg = readPackageJson(fs, dir, notes);
      const mobile = mobileApp(pkg);
      if (mobile) {
        skipped.push({ path: dir, reason: `mobile app (${mobile} dependency): not deployed to a cluster` });
        return;
      }
      const r = looksRunnable(dir, pkg, hasDockerfile);
      if (!r.runnable) return library(dir, r.why);
    } else if (lang.language === 'go') {
      if (!findMainPackage(fs, dir) && !hasDockerfile) return library(dir, 'no package main');
    } else if (lang.language === 'python') {
      if (LIBRARY_HOMES.has(dir.split('/')[0]!) && !hasDockerfile) return library(dir, 'under packages/ or libs/ with no Dockerfile');
    }
    folderServices.push({ dir, ...lang });
  };
  for (const d1 of fs.list('.')?.dirs ?? []) {
    if (NOT_SERVICES.has(d1)) continue;
    const lang1 = languageOf(fs, d1);
    if (lang1) {
      consider(d1, lang1);
      continue;
    }
    for (const d2 of fs.list(d1)?.dirs ?? []) {
      if (NOT_SERVICES.has(d2)) continue;
      const dir = joinRel(d1, d2);
      const lang2 = languageOf(fs, dir);
      if (lang2) consider(dir, lang2);
    }
  }
  if (skippedModules) notes.push(`${skippedModules} Java module folder(s) are built by the root build, not as separate services`);
  candidates.push(...folderServices);

  // The root is a service when it is a project of its own: not a workspace root, and either the
  // only project here or runnable alongside the folder services.
  if (root && !ws && !decided.has('.') && !(root.language === 'node' && otherLanguage(fs, '.'))) {
    const rootRunnable = () => {
      if (fs.has('.', 'Dockerfile') || root.language === 'java') return true;
      if (root.language === 'node') return looksRunnable('.', rootPkg, false).runnable;
      if (root.language === 'go') return !!findMainPackage(fs, '.');
      return false;
    };
    if (folderServices.length === 0 || rootRunnable()) {
      candidates.push({ dir: '.', ...root });
      if (root.language === 'go' && !findMainPackage(fs, '.')) notes.push('go.mod at the root has no package main (a library?)');
    } else {
      notes.push(`${root.manifest} at the root is treated as repository tooling: the services live in sub-folders`);
    }
  }
  if (!monorepo && folderServices.length > 0) monorepo = 'folders';
  if (!root && candidates.length === 0) notes.push(`${at('.')}no package.json, pyproject.toml, requirements.txt, go.mod, pom.xml or build.gradle found`);
  return monorepo ? { monorepo, candidates, skipped, decided } : { candidates, skipped, decided };
}
