/** Node.js services: package manager, runtime version and commands from package.json & friends. */
import type { PackageManager } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { lowestNodeMajor, nodeVersionFile } from './versions.js';

export interface PackageJson {
  name?: unknown;
  main?: unknown;
  bin?: unknown;
  private?: unknown;
  packageManager?: unknown;
  workspaces?: unknown;
  engines?: { node?: unknown };
  scripts?: Record<string, unknown>;
}

/** package.json as an object, or undefined (with a note) when it is missing or not valid JSON. */
export function readPackageJson(fs: RepoFs, dir: string, notes: string[]): PackageJson | undefined {
  const file = joinRel(dir, 'package.json');
  const text = fs.read(file);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as PackageJson;
    notes.push(`${file}: not a JSON object; ignored`);
  } catch (e) {
    notes.push(`${file}: invalid JSON (${(e as Error).message.split('\n')[0]}); ignored`);
  }
  return undefined;
}

export function script(pkg: PackageJson | undefined, name: string): string | undefined {
  const s = pkg?.scripts && typeof pkg.scripts === 'object' ? pkg.scripts[name] : undefined;
  return typeof s === 'string' && s.trim() ? s : undefined;
}

/** `npm init` writes this test script; running it only fails. */
const NPM_STUB_TEST = /^echo "Error: no test specified" && exit 1$/;

const LOCKFILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export interface NodeManager {
  manager: PackageManager;
  install: string;
  reasons: string[];
  notes: string[];
}

/** The package manager of the project rooted at `dir` (a standalone project or a workspace root). */
export function nodeManager(
  fs: RepoFs,
  dir: string,
  pkg: PackageJson | undefined,
  implied?: { manager: PackageManager; because: string },
): NodeManager {
  const reasons: string[] = [];
  const notes: string[] = [];
  const where = (f: string) => joinRel(dir, f);
  const locks = LOCKFILES.filter(([f]) => fs.has(dir, f));
  const field = typeof pkg?.packageManager === 'string' ? pkg.packageManager : undefined;
  const fieldPm = field ? (/^(npm|pnpm|yarn|bun)@/.exec(field)?.[1] as PackageManager | undefined) : undefined;

  let manager: PackageManager;
  let lockfile: string | undefined;
  if (locks.length > 0) {
    // Several lockfiles: the packageManager field breaks the tie, else the first in LOCKFILES order.
    const pick = locks.find(([, pm]) => pm === fieldPm) ?? locks[0]!;
    [lockfile, manager] = pick;
    reasons.push(`${where(lockfile)} → package manager ${manager}`);
    if (locks.length > 1) notes.push(`${at(dir)}several lockfiles (${locks.map(([f]) => f).join(', ')}); using ${lockfile}`);
    if (fieldPm && fieldPm !== manager) notes.push(`${where('package.json')}: packageManager "${field}" disagrees with ${lockfile}`);
  } else if (fieldPm) {
    manager = fieldPm;
    reasons.push(`packageManager "${field}" → package manager ${manager}`);
    notes.push(`${at(dir)}no lockfile: CI installs without one, so builds are not reproducible until it is committed`);
  } else if (implied) {
    manager = implied.manager;
    reasons.push(`${implied.because} → package manager ${manager}`);
    notes.push(`${at(dir)}no lockfile: CI installs without one, so builds are not reproducible until it is committed`);
  } else {
    manager = 'npm';
    reasons.push('no lockfile and no packageManager field → package manager npm');
    notes.push(`${at(dir)}no lockfile: defaulting to npm`);
  }

  let install: string;
  if (!lockfile) {
    // The frozen/ci forms refuse to run without a lockfile.
    install = `${manager} install`;
  } else if (manager === 'npm') install = 'npm ci';
  else if (manager === 'pnpm') install = 'pnpm install --frozen-lockfile';
  else if (manager === 'bun') install = 'bun install --frozen-lockfile';
  else {
    const classic = isYarnClassic(fs.read(where('yarn.lock'), 4096), field);
    install = classic ? 'yarn install --frozen-lockfile' : 'yarn install --immutable';
    if (classic) reasons.push('yarn.lock v1 → Yarn classic (--frozen-lockfile)');
  }
  reasons.push(`install: ${install}`);
  return { manager, install, reasons, notes };
}

function isYarnClassic(lock: string | undefined, field: string | undefined): boolean {
  if (field) return /^yarn@1\./.test(field);
  return /^# yarn lockfile v1/m.test(lock ?? '');
}

/** `npm test`, `npm run lint`, `pnpm run lint`, `yarn lint`, `bun run lint`. */
export function runScript(manager: PackageManager, name: string): string {
  if (manager === 'npm') return name === 'test' ? 'npm test' : `npm run ${name}`;
  if (manager === 'yarn') return `yarn ${name}`;
  // `bun test` is bun's own test runner, not the script: always `bun run`.
  return `${manager} run ${name}`;
}

/** Runtime version: version files (member, then workspace root), then engines.node. */
export function nodeVersion(
  fs: RepoFs,
  dir: string,
  pkg: PackageJson | undefined,
  rootPkg: PackageJson | undefined,
): { version?: string; reasons: string[] } {
  const reasons: string[] = [];
  const dirs = dir === '.' || !rootPkg ? [dir] : [dir, '.'];
  let version: string | undefined;
  for (const d of dirs) {
    for (const f of ['.nvmrc', '.node-version']) {
      const text = fs.read(joinRel(d, f), 1024);
      if (text === undefined) continue;
      const v = nodeVersionFile(text);
      if (v) {
        reasons.push(`${joinRel(d, f)} → Node ${v}`);
        version = v;
        break;
      }
      reasons.push(`${joinRel(d, f)}: "${text.trim().slice(0, 30)}" names no version; ignored`);
    }
    if (version) break;
  }
  for (const p of rootPkg && dir !== '.' ? [pkg, rootPkg] : [pkg]) {
    const range = typeof p?.engines?.node === 'string' ? p.engines.node : undefined;
    if (!range) continue;
    const major = lowestNodeMajor(range);
    if (!major) continue;
    if (version) {
      reasons.push(`engines.node '${range}' allows Node ${major}; the version file wins`);
    } else {
      version = major;
      reasons.push(`engines.node '${range}' → Node ${major}`);
    }
    break;
  }
  return version ? { version, reasons } : { reasons };
}

export interface NodeProbe {
  nameHint?: string;
  version?: string;
  packageManager: PackageManager;
  commands: { install: string; lint?: string; test?: string; build?: string };
  reasons: string[];
}

/**
 * A Node service at `dir`. `workspace` is set for members: the package manager and install come
 * from the workspace root, where the only lockfile lives.
 */
export function probeNode(
  fs: RepoFs,
  dir: string,
  pkg: PackageJson | undefined,
  notes: string[],
  workspace?: { pm: NodeManager; rootPkg: PackageJson | undefined },
): NodeProbe {
  const pm = workspace?.pm ?? nodeManager(fs, dir, pkg);
  // A member installs at the workspace root, so the root's "install:" line would mislead here.
  const reasons = workspace ? pm.reasons.filter((r) => !r.startsWith('install:')) : [...pm.reasons];
  if (workspace) reasons.push(`workspace member: install runs at the repository root (${pm.install}); scripts run here`);
  else notes.push(...pm.notes);

  const commands: NodeProbe['commands'] = { install: pm.install };
  const test = script(pkg, 'test');
  if (test && !NPM_STUB_TEST.test(test.trim())) commands.test = runScript(pm.manager, 'test');
  else if (test) reasons.push('scripts.test is the npm placeholder → no test command');
  const lint = script(pkg, 'lint');
  const nextMajor = nextVersion(pkg);
  if (lint && /\bnext\s+lint\b/.test(lint) && nextMajor !== undefined && nextMajor >= 16) {
    reasons.push(`scripts.lint runs \`next lint\`, which Next.js ${nextMajor} removed → no lint command`);
  } else if (lint) commands.lint = runScript(pm.manager, 'lint');
  if (script(pkg, 'build')) commands.build = runScript(pm.manager, 'build');
  const found = (['test', 'lint', 'build'] as const).filter((k) => commands[k]);
  if (found.length) reasons.push(`package.json scripts → ${found.map((k) => commands[k]).join(', ')}`);

  const v = nodeVersion(fs, dir, pkg, workspace?.rootPkg);
  reasons.push(...v.reasons);
  return {
    ...(typeof pkg?.name === 'string' ? { nameHint: pkg.name } : {}),
    ...(v.version ? { version: v.version } : {}),
    packageManager: pm.manager,
    commands,
    reasons,
  };
}

/** The major version of `next` the package depends on (lowest the range allows). */
function nextVersion(pkg: PackageJson | undefined): number | undefined {
  const deps = { ...((pkg as { devDependencies?: Record<string, unknown> } | undefined)?.devDependencies ?? {}), ...((pkg as { dependencies?: Record<string, unknown> } | undefined)?.dependencies ?? {}) };
  const range = deps['next'];
  if (typeof range !== 'string') return undefined;
  const major = lowestNodeMajor(range);
  return major === undefined ? undefined : Number(major);
}

/**
 * Whether a package is a deployable rather than a library: a start script, a Dockerfile, or a
 * home under apps/ or services/ make it one; under packages/ or libs/ without those it is a
 * library; elsewhere a main/bin entry decides. `why` explains a "no".
 */
export function looksRunnable(dir: string, pkg: PackageJson | undefined, hasDockerfile: boolean): { runnable: boolean; why: string } {
  if (hasDockerfile || script(pkg, 'start')) return { runnable: true, why: '' };
  const top = dir.split('/')[0]!;
  if (top === 'packages' || top === 'libs') return { runnable: false, why: `under ${top}/ with no start script and no Dockerfile` };
  if (top === 'apps' || top === 'services') return { runnable: true, why: '' };
  if (pkg?.main !== undefined || pkg?.bin !== undefined) return { runnable: true, why: '' };
  return { runnable: false, why: 'no start script, main/bin or Dockerfile' };
}
