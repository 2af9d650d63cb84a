/**
 * services[].start for Python: the server command from the runtime dependencies and the app
 * object in the code (FastAPI/Starlette on uvicorn, Flask or Django on gunicorn), else a console
 * script or a package's __main__.py. Nothing is guessed: no match leaves start unset with a note.
 */
import type { PackageManager } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { readPyproject, requirementLines } from './python.js';
import { START_TOKEN, type StartGuess } from './start.js';
import { tomlStrings, type TomlTables } from './toml.js';

/** "FastAPI[standard]>=0.110" → ["fastapi", "standard"]; PEP 503 names, lower-case extras. */
function parseRequirement(spec: string): { name: string; extras: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(spec);
  if (!m) return undefined;
  const extras = (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  return { name: m[1]!.toLowerCase().replace(/[._]+/g, '-'), extras };
}

/**
 * Dependencies the image installs (uv --no-dev, poetry --only main, pip -r requirements.txt):
 * name → extras. Development groups are left out, since the container never has them.
 */
function runtimeDeps(fs: RepoFs, dir: string, py: TomlTables | undefined): Map<string, string[]> {
  const specs = [...tomlStrings(py?.get('project')?.dependencies)];
  const poetry = py?.get('tool.poetry.dependencies') ?? {};
  for (const [name, v] of Object.entries(poetry)) {
    const extras = v && typeof v === 'object' && !Array.isArray(v) ? tomlStrings(v['extras']) : [];
    specs.push(extras.length ? `${name}[${extras.join(',')}]` : name);
  }
  specs.push(...requirementLines(fs, dir, ['requirements.txt']));
  const deps = new Map<string, string[]>();
  for (const s of specs) {
    const r = parseRequirement(s);
    if (r) deps.set(r.name, [...(deps.get(r.name) ?? []), ...r.extras]);
  }
  return deps;
}

/** Python identifier of the project's import package: "billing-api" → "billing_api". */
function packageName(py: TomlTables | undefined): string | undefined {
  const name = py?.get('project')?.name ?? py?.get('tool.poetry')?.name;
  return typeof name === 'string' ? name.toLowerCase().replace(/[-.]+/g, '_') : undefined;
}

interface AppObject {
  /** "app.main:app" */
  target: string;
  /** "src" for a src/ layout: the server must import from there. */
  appDir?: string;
  file: string;
}

/**
 * The first `<name> = <Constructor>(` at the top level of one of the usual entry files, as a
 * module:attribute target. Only the first 64 KiB of each file is read.
 */
function findAppObject(fs: RepoFs, dir: string, py: TomlTables | undefined, constructors: string[], files: string[]): AppObject | undefined {
  const pkgs = [...new Set([packageName(py), ...(fs.list(joinRel(dir, 'src'))?.dirs ?? [])].filter((p): p is string => !!p))];
  const candidates: { file: string; appDir?: string }[] = files.map((file) => ({ file }));
  for (const pkg of pkgs) {
    for (const f of ['main.py', 'app.py', '__init__.py']) {
      candidates.push({ file: `${pkg}/${f}` }, { file: `src/${pkg}/${f}`, appDir: 'src' });
    }
  }
  const ctor = constructors.join('|');
  const re = new RegExp(`^([A-Za-z_][A-Za-z0-9_]*)\\s*(?::[^=\\n]+)?=\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\.)?(?:${ctor})\\(`, 'm');
  for (const c of candidates) {
    const text = fs.read(joinRel(dir, c.file), 64 * 1024);
    const m = text === undefined ? null : re.exec(text);
    if (!m) continue;
    const rel = c.appDir ? c.file.slice(c.appDir.length + 1) : c.file;
    const module = rel.replace(/\/__init__\.py$/, '').replace(/\.py$/, '').replace(/\//g, '.');
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(module)) continue;
    return { target: `${module}:${m[1]}`, file: joinRel(dir, c.file), ...(c.appDir ? { appDir: c.appDir } : {}) };
  }
  return undefined;
}

/** Django's project package from manage.py's DJANGO_SETTINGS_MODULE, when <project>/wsgi.py exists. */
function djangoProject(fs: RepoFs, dir: string): string | undefined {
  const manage = fs.read(joinRel(dir, 'manage.py'), 64 * 1024) ?? '';
  const project = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_.]*?)\.settings\b/.exec(manage)?.[1];
  if (!project || fs.read(joinRel(dir, `${project.replace(/\./g, '/')}/wsgi.py`), 1) === undefined) return undefined;
  return project;
}

/** The one console script [project.scripts] / [tool.poetry.scripts] declares, if exactly one. */
function consoleScript(py: TomlTables | undefined): string | undefined {
  const names = [...Object.keys(py?.get('project.scripts') ?? {}), ...Object.keys(py?.get('tool.poetry.scripts') ?? {})];
  const unique = [...new Set(names)];
  return unique.length === 1 && START_TOKEN.test(unique[0]!) ? unique[0] : undefined;
}

/** Packages with a __main__.py: top-level folders, and src/ ones when the project itself is installed. */
function mainPackages(fs: RepoFs, dir: string, installsProject: boolean): string[] {
  const found: string[] = [];
  const skip = new Set(['tests', 'test', 'docs', 'scripts']);
  for (const d of fs.list(dir)?.dirs ?? []) {
    if (!skip.has(d) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && fs.read(joinRel(dir, `${d}/__main__.py`), 1) !== undefined) found.push(d);
  }
  if (installsProject) {
    for (const d of fs.list(joinRel(dir, 'src'))?.dirs ?? []) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && fs.read(joinRel(dir, `src/${d}/__main__.py`), 1) !== undefined) found.push(d);
    }
  }
  return [...new Set(found)];
}

/** The start command of a Python service at `dir` listening on `port`. */
export function pythonStart(fs: RepoFs, dir: string, pm: PackageManager, port: number): StartGuess {
  const out: StartGuess = { reasons: [], notes: [] };
  const py = readPyproject(fs, dir, []);
  const deps = runtimeDeps(fs, dir, py);
  const has = (n: string) => deps.has(n);
  const set = (start: string, why: string) => {
    out.start = start;
    out.reasons.push(`${why} → start: ${start}`);
    return out;
  };
  const ask = (why: string) => {
    out.notes.push(`${at(dir)}${why}; set services[].start in devops.yaml (the seeded Dockerfile stops with a message until it is set)`);
    return out;
  };

  // ASGI: FastAPI/Starlette served by uvicorn (fastapi[standard] brings uvicorn along).
  const asgi = has('fastapi') ? 'fastapi' : has('starlette') ? 'starlette' : undefined;
  if (asgi) {
    const uvicorn = has('uvicorn') || (deps.get('fastapi') ?? []).some((e) => e === 'standard' || e === 'all');
    if (!uvicorn) return ask(`${asgi} without uvicorn in the runtime dependencies: add uvicorn to serve it`);
    const app = findAppObject(fs, dir, py, ['FastAPI', 'Starlette'], ['main.py', 'app.py', 'app/main.py', 'app/app.py', 'app/__init__.py']);
    if (!app) return ask(`${asgi} and uvicorn are dependencies but no \`app = FastAPI(\` was found in main.py, app.py, app/main.py or src/<package>/main.py`);
    const appDir = app.appDir ? ` --app-dir ${app.appDir}` : '';
    return set(`uvicorn ${app.target} --host 0.0.0.0 --port ${port}${appDir}`, `${asgi} + uvicorn, app object in ${app.file}`);
  }
  // WSGI: Flask or Django on gunicorn (their built-in servers are for development only).
  if (has('flask')) {
    if (!has('gunicorn')) return ask("flask without gunicorn: Flask's built-in server is for development; add gunicorn");
    const app = findAppObject(fs, dir, py, ['Flask'], ['app.py', 'main.py', 'wsgi.py', 'app/__init__.py', 'app/main.py']);
    if (!app) return ask('flask and gunicorn are dependencies but no `app = Flask(` was found in app.py, main.py, wsgi.py or the package');
    const chdir = app.appDir ? ` --chdir ${app.appDir}` : '';
    return set(`gunicorn -b 0.0.0.0:${port}${chdir} ${app.target}`, `flask + gunicorn, app object in ${app.file}`);
  }
  if (has('django')) {
    if (!has('gunicorn')) return ask("django without gunicorn: runserver is for development; add gunicorn");
    const project = djangoProject(fs, dir);
    if (!project) return ask('django and gunicorn are dependencies but manage.py names no <project>.settings with a wsgi.py beside it');
    return set(`gunicorn -b 0.0.0.0:${port} ${project}.wsgi`, `django + gunicorn, ${joinRel(dir, 'manage.py')} settings ${project}.settings`);
  }
  // A console script or python -m: uv and poetry install the project itself; pip installs requirements only.
  const installsProject = pm === 'uv' || pm === 'poetry';
  const cli = installsProject ? consoleScript(py) : undefined;
  if (cli) return set(cli, `the console script in pyproject.toml (installed with the project)`);
  const mains = mainPackages(fs, dir, installsProject);
  if (mains.length === 1) return set(`python -m ${mains[0]}`, `${mains[0]}/__main__.py`);
  if (mains.length > 1) return ask(`several packages have a __main__.py (${mains.join(', ')})`);
  return ask('no web framework with a production server, console script or __main__.py found');
}
