/** Python services: uv / poetry / pip, version, pytest and ruff. */
import type { PackageManager } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { parseToml, tomlStrings, TomlError, type TomlTables, type TomlValue } from './toml.js';
import { lowestPythonMinor, pythonVersionFile } from './versions.js';

export interface PythonProbe {
  nameHint?: string;
  version?: string;
  packageManager: PackageManager;
  commands: { install: string; lint?: string; test?: string; build?: string };
  reasons: string[];
}

/** pyproject.toml tables, or undefined (with a note) when it is missing or malformed. */
export function readPyproject(fs: RepoFs, dir: string, notes: string[]): TomlTables | undefined {
  const file = joinRel(dir, 'pyproject.toml');
  const text = fs.read(file);
  if (text === undefined) return undefined;
  try {
    return parseToml(text);
  } catch (e) {
    const why = e instanceof TomlError ? e.message : 'unreadable';
    notes.push(`${file}: could not parse (${why}); its name, version and tools were not read`);
    return undefined;
  }
}

/** "FastAPI[all]>=0.110" → "fastapi"; PEP 503 normalisation. */
function depName(spec: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m ? m[1]!.toLowerCase().replace(/[._]+/g, '-') : undefined;
}

function tableKeys(t: Record<string, TomlValue> | undefined): string[] {
  return t ? Object.keys(t) : [];
}

/** Every dependency name the pyproject mentions, runtime and development alike. */
function pyprojectDeps(t: TomlTables): Set<string> {
  const specs: string[] = [];
  const project = t.get('project');
  specs.push(...tomlStrings(project?.dependencies));
  for (const [name, table] of t) {
    if (name === 'project.optional-dependencies' || name === 'dependency-groups') {
      for (const v of Object.values(table)) specs.push(...tomlStrings(v));
    }
    // [tool.poetry.dependencies], [tool.poetry.dev-dependencies], [tool.poetry.group.<g>.dependencies]
    if (/^tool\.poetry\.(dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/.test(name)) {
      specs.push(...tableKeys(table));
    }
  }
  specs.push(...tomlStrings(t.get('tool.uv')?.['dev-dependencies']));
  return new Set(specs.map(depName).filter((n): n is string => !!n));
}

/**
 * Requirement lines from requirements files (comments and options dropped), following
 * `-r other.txt` one level, within the same folder.
 */
export function requirementLines(fs: RepoFs, dir: string, files: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number) => {
    if (seen.has(file) || depth > 1) return;
    seen.add(file);
    for (const raw of (fs.read(joinRel(dir, file)) ?? '').split(/\r?\n/)) {
      const line = raw.replace(/\s#.*$/, '').trim();
      const inc = /^(?:-r|--requirement)\s*(\S+)$/.exec(line);
      if (inc && !inc[1]!.includes('..') && !inc[1]!.startsWith('/')) visit(inc[1]!, depth + 1);
      else if (line && !line.startsWith('#') && !line.startsWith('-')) out.push(line);
    }
  };
  for (const f of files) visit(f, 0);
  return out;
}

/**
 * Direct dependency names from requirements files. A pip-compiled file (`# via` annotations)
 * lists transitive packages too: there only requirements.in, or a package whose `# via` names a
 * requirements file (`-r requirements.in`), counts as direct.
 */
function requirementDeps(fs: RepoFs, dir: string, files: string[]): Set<string> {
  const out = new Set<string>();
  const transitive = new Set<string>();
  for (const f of files) {
    const text = fs.read(joinRel(dir, f)) ?? '';
    if (!/#\s+via\b/.test(text)) continue;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const n = /^[A-Za-z0-9]/.test(lines[i]!) ? depName(lines[i]!) : undefined;
      if (!n) continue;
      const via: string[] = [];
      const inline = /#\s+via\s+(.*)$/.exec(lines[i]!);
      if (inline) via.push(inline[1]!);
      for (let j = i + 1; j < lines.length && /^\s+#/.test(lines[j]!); j++) via.push(lines[j]!.replace(/^\s+#\s*(via\s+)?/, ''));
      if (via.length && !via.some((v) => /-r\s|\.in\b|\.txt\b|pyproject/.test(v))) transitive.add(n);
    }
  }
  for (const line of requirementLines(fs, dir, files)) {
    const n = depName(line);
    if (n && !transitive.has(n)) out.add(n);
  }
  if (fs.has(dir, 'requirements.in')) for (const line of requirementLines(fs, dir, ['requirements.in'])) {
    const n = depName(line);
    if (n) out.add(n);
  }
  return out;
}

const DEV_REQUIREMENTS = ['requirements-dev.txt', 'dev-requirements.txt', 'requirements_dev.txt', 'requirements/dev.txt'];

export function probePython(fs: RepoFs, dir: string, notes: string[]): PythonProbe {
  const reasons: string[] = [];
  const py = readPyproject(fs, dir, notes);
  const project = py?.get('project');
  const poetry = py?.get('tool.poetry');
  const f = (name: string) => joinRel(dir, name);

  // Package manager: the lockfile first, then the tool table, then requirements files.
  let pm: PackageManager;
  let install: string;
  const uvWorkspaceRoot = dir !== '.' && fs.has('.', 'uv.lock') && readPyproject(fs, '.', [])?.has('tool.uv.workspace');
  if (fs.has(dir, 'uv.lock') || uvWorkspaceRoot) {
    pm = 'uv';
    install = 'uv sync --locked';
    reasons.push(fs.has(dir, 'uv.lock') ? `${f('uv.lock')} → package manager uv` : 'uv.lock at the uv workspace root → package manager uv');
  } else if (fs.has(dir, 'poetry.lock') || poetry) {
    pm = 'poetry';
    install = 'poetry install --no-interaction';
    reasons.push(fs.has(dir, 'poetry.lock') ? `${f('poetry.lock')} → package manager poetry` : '[tool.poetry] in pyproject.toml → package manager poetry');
    if (!fs.has(dir, 'poetry.lock')) notes.push(`${at(dir)}no poetry.lock: dependency versions are not pinned`);
  } else if (py?.has('tool.uv')) {
    pm = 'uv';
    install = 'uv sync';
    reasons.push('[tool.uv] in pyproject.toml → package manager uv');
    notes.push(`${at(dir)}no uv.lock: installing without --locked until one is committed`);
  } else if (fs.has(dir, 'requirements.txt')) {
    pm = 'pip';
    const dev = DEV_REQUIREMENTS.filter((r) => fs.read(f(r), 1) !== undefined);
    install = ['pip install -r requirements.txt', ...dev.map((r) => `-r ${r}`)].join(' ');
    reasons.push(`${f('requirements.txt')} → package manager pip`);
  } else {
    pm = 'pip';
    const extras = Object.keys(py?.get('project.optional-dependencies') ?? {}).filter((k) => k === 'dev' || k === 'test');
    install = extras.length ? `pip install '.[${extras.join(',')}]'` : 'pip install .';
    reasons.push('pyproject.toml without a lockfile → pip');
    notes.push(`${at(dir)}no lockfile or requirements.txt: dependency versions are not pinned`);
  }
  reasons.push(`install: ${install}`);

  // Version: .python-version (here, then the repository root), then the declared range.
  let version: string | undefined;
  for (const d of dir === '.' ? ['.'] : [dir, '.']) {
    const text = fs.read(joinRel(d, '.python-version'), 1024);
    const v = text === undefined ? undefined : pythonVersionFile(text);
    if (v) {
      version = v;
      reasons.push(`${joinRel(d, '.python-version')} → Python ${v}`);
      break;
    }
  }
  const requires = project?.['requires-python'];
  const poetryPy = py?.get('tool.poetry.dependencies')?.python;
  for (const [label, spec] of [['requires-python', requires], ['tool.poetry.dependencies python', poetryPy]] as const) {
    if (typeof spec !== 'string') continue;
    const minor = lowestPythonMinor(spec);
    if (!minor) continue;
    if (version) reasons.push(`${label} '${spec}' allows Python ${minor}; .python-version wins`);
    else {
      version = minor;
      reasons.push(`${label} '${spec}' → Python ${minor}`);
    }
    break;
  }

  // Tools: declared as dependencies, or configured.
  const deps = new Set([
    ...(py ? pyprojectDeps(py) : []),
    ...requirementDeps(fs, dir, ['requirements.txt', ...DEV_REQUIREMENTS]),
  ]);
  const pytestWhy = deps.has('pytest')
    ? 'pytest is a dependency'
    : py?.has('tool.pytest.ini_options')
      ? '[tool.pytest.ini_options]'
      : ['pytest.ini', 'conftest.py', 'tests/conftest.py'].find((c) => fs.read(f(c), 1) !== undefined);
  const ruffWhy = deps.has('ruff')
    ? 'ruff is a dependency'
    : py?.has('tool.ruff')
      ? '[tool.ruff]'
      : ['ruff.toml', '.ruff.toml'].find((c) => fs.has(dir, c));
  const run = pm === 'uv' ? 'uv run ' : pm === 'poetry' ? 'poetry run ' : '';
  const commands: PythonProbe['commands'] = { install };
  if (pytestWhy) {
    commands.test = pm === 'pip' ? 'python -m pytest' : `${run}pytest`;
    reasons.push(`${pytestWhy} → ${commands.test}`);
  }
  if (ruffWhy) {
    commands.lint = `${run}ruff check .`;
    reasons.push(`${ruffWhy} → ${commands.lint}`);
  }

  const name = typeof project?.name === 'string' ? project.name : typeof poetry?.name === 'string' ? poetry.name : undefined;
  return {
    ...(name ? { nameHint: name } : {}),
    ...(version ? { version } : {}),
    packageManager: pm,
    commands,
    reasons,
  };
}
