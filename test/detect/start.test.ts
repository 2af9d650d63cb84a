import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { plainStartScript, startForPort } from '../../src/detect/start.js';
import { json, repoWith } from './helpers.js';

/** The single detected service's start command, reasons and the repository notes. */
function startOf(files: Record<string, string>) {
  const facts = detect(repoWith(files));
  expect(facts.services).toHaveLength(1);
  const svc = facts.services[0]!;
  return { start: svc.start, why: svc.reasons.join('\n'), notes: facts.notes.join('\n') };
}

const lock = { 'package-lock.json': '{"lockfileVersion":3}' };
const pyproject = (deps: string[], extra = '') =>
  `[project]\nname = "billing-api"\nversion = "1.0.0"\nrequires-python = ">=3.12"\ndependencies = [${deps.map((d) => JSON.stringify(d)).join(', ')}]\n${extra}`;

describe('services[].start for Node', () => {
  it('an ES module app with a plain start script and no main (examples/shop api)', () => {
    const r = startOf({
      ...lock,
      'package.json': json({ name: 'api', type: 'module', scripts: { start: 'node src/server.js' } }),
      'src/server.js': 'export {}\n',
    });
    expect(r.start).toBe('node src/server.js');
    expect(r.why).toContain('scripts.start "node src/server.js" → start: node src/server.js');
  });

  it('drops NODE_ENV=… and development or .env flags, keeps the rest', () => {
    const r = startOf({
      ...lock,
      'package.json': json({ name: 'api', scripts: { start: 'NODE_ENV=production node --env-file=.env --enable-source-maps -r ./tracing.js ./src/server.js --color' } }),
      'src/server.js': '',
    });
    expect(r.start).toBe('node --enable-source-maps -r ./tracing.js src/server.js --color');
    expect(r.why).toMatch(/without --env-file=\.env/);
  });

  it('a start script that needs another tool falls back to main, which the build makes', () => {
    const r = startOf({
      ...lock,
      'package.json': json({ name: 'api', main: 'dist/index.js', scripts: { start: 'tsx src/index.ts', build: 'tsc' } }),
      'src/index.ts': '',
    });
    expect(r.start).toBe('node dist/index.js');
    expect(r.why).toContain('scripts.start "tsx src/index.ts" is not a plain `node <file>` command');
  });

  it('no start script and no main: npm conventions (server.js, then index.js)', () => {
    expect(startOf({ ...lock, 'package.json': json({ name: 'api', bin: 'x' }), 'server.js': '', 'index.js': '' }).start).toBe('node server.js');
    expect(startOf({ ...lock, 'package.json': json({ name: 'api', bin: 'x' }), 'index.js': '' }).start).toBe('node index.js');
  });

  it.each([
    ['a framework CLI', { start: 'next start' }],
    ['shell operators', { start: 'node migrate.js && node server.js' }],
    ['quotes', { start: 'node "src/server.js"' }],
    ['a path outside the service', { start: 'node ../shared/server.js' }],
    ['a file that is not there and no build to make it', { start: 'node dist/server.js' }],
  ])('leaves start unset with a note for %s', (_why, scripts) => {
    const r = startOf({ ...lock, 'package.json': json({ name: 'api', scripts }), 'migrate.js': '', 'src/server.js': '' });
    expect(r.start).toBeUndefined();
    expect(r.notes).toMatch(/no start command found .*the seeded Dockerfile runs `npm start`; set services\[\]\.start in devops\.yaml/);
  });

  it('main names the entry when the start script is missing', () => {
    const r = startOf({ ...lock, 'package.json': json({ name: 'api', main: './lib/app' }), 'lib/app.js': '' });
    expect(r.start).toBe('node lib/app');
  });

  it('bun runs its own entry points', () => {
    const r = startOf({ 'bun.lock': '', 'package.json': json({ name: 'edge', scripts: { start: 'bun run src/index.ts' } }), 'src/index.ts': '' });
    expect(r.start).toBe('bun run src/index.ts');
  });

  it('an existing Dockerfile decides the command: nothing detected, nothing noted', () => {
    const r = startOf({ ...lock, 'package.json': json({ name: 'api', scripts: { start: 'next start' } }), Dockerfile: 'FROM node:22\n' });
    expect(r.start).toBeUndefined();
    expect(r.notes).not.toMatch(/start/);
  });

  it('plainStartScript keeps only words the schema allows', () => {
    expect(plainStartScript('node server.js', 'node')).toEqual({ argv: ['node', 'server.js'], entry: 'server.js', dropped: [] });
    expect(plainStartScript('node --watch server.js', 'node')).toEqual({ argv: ['node', 'server.js'], entry: 'server.js', dropped: ['--watch'] });
    expect(plainStartScript('node server.js $PORT', 'node')).toBeUndefined();
    expect(plainStartScript('FOO=1 node server.js', 'node')).toBeUndefined();
    expect(plainStartScript('node --inspect', 'node')).toBeUndefined();
  });
});

describe('services[].start for Python', () => {
  const uv = { 'uv.lock': 'version = 1\n' };

  it('FastAPI on uvicorn with the app in app/main.py (examples/shop billing)', () => {
    const r = startOf({ ...uv, 'pyproject.toml': pyproject(['fastapi>=0.115', 'uvicorn>=0.32']), 'app/__init__.py': '', 'app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' });
    expect(r.start).toBe('uvicorn app.main:app --host 0.0.0.0 --port 8000');
  });

  it('listens on the detected port', () => {
    const r = startOf({ ...uv, 'pyproject.toml': pyproject(['fastapi', 'uvicorn']), 'main.py': 'import fastapi\napi = fastapi.FastAPI(title="x")\n', '.env.example': 'PORT=9000\n' });
    expect(r.start).toBe('uvicorn main:api --host 0.0.0.0 --port 9000');
  });

  it('fastapi[standard] brings uvicorn; a src/ layout serves from src', () => {
    const r = startOf({
      ...uv,
      'pyproject.toml': pyproject(['fastapi[standard]>=0.115']),
      'src/billing_api/__init__.py': '',
      'src/billing_api/main.py': 'from fastapi import FastAPI\napp: FastAPI = FastAPI()\n',
    });
    expect(r.start).toBe('uvicorn billing_api.main:app --host 0.0.0.0 --port 8000 --app-dir src');
  });

  it('uvicorn only in a development group is not in the image: no start, a note', () => {
    const r = startOf({ ...uv, 'pyproject.toml': pyproject(['fastapi'], '[dependency-groups]\ndev = ["uvicorn"]\n'), 'main.py': 'app = FastAPI()\n' });
    expect(r.start).toBeUndefined();
    expect(r.notes).toContain('fastapi without uvicorn in the runtime dependencies: add uvicorn to serve it; set services[].start in devops.yaml');
  });

  it('FastAPI with no app object in the usual files: no start, says where it looked', () => {
    const r = startOf({ ...uv, 'pyproject.toml': pyproject(['fastapi', 'uvicorn']), 'server.py': 'app = FastAPI()\n' });
    expect(r.start).toBeUndefined();
    expect(r.notes).toMatch(/no `app = FastAPI\(` was found in main\.py, app\.py, app\/main\.py or src\/<package>\/main\.py/);
  });

  it('Flask on gunicorn (requirements.txt)', () => {
    const r = startOf({ 'requirements.txt': 'Flask==3.0.3\ngunicorn==23.0.0\n', 'app.py': 'from flask import Flask\napplication = Flask(__name__)\n' });
    expect(r.start).toBe('gunicorn -b 0.0.0.0:8000 app:application');
  });

  it('Django on gunicorn, the project from manage.py', () => {
    const r = startOf({
      'requirements.txt': 'django>=5\ngunicorn\n',
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
      'mysite/__init__.py': '',
      'mysite/wsgi.py': '',
    });
    expect(r.start).toBe('gunicorn -b 0.0.0.0:8000 mysite.wsgi');
  });

  it('a console script the project installs, else a package with __main__.py', () => {
    const cli = startOf({ ...uv, 'pyproject.toml': pyproject(['click'], '[project.scripts]\nbilling = "billing_api.cli:main"\n') });
    expect(cli.start).toBe('billing');
    const mod = startOf({ 'requirements.txt': 'requests\n', 'worker/__init__.py': '', 'worker/__main__.py': '' });
    expect(mod.start).toBe('python -m worker');
  });

  it('nothing to go on: no start and a note', () => {
    const r = startOf({ 'requirements.txt': 'requests\n', 'job.py': 'print(1)\n' });
    expect(r.start).toBeUndefined();
    expect(r.notes).toMatch(/no web framework with a production server, console script or __main__\.py found; set services\[\]\.start/);
  });
});

describe('Go and Java', () => {
  it('need no start: the image runs the binary or jar it builds', () => {
    expect(startOf({ 'go.mod': 'module example.com/inv\n\ngo 1.23\n', 'main.go': 'package main\n\nfunc main() {}\n' }).start).toBeUndefined();
  });
});

describe('examples/shop', () => {
  const shop = fileURLToPath(new URL('../../examples/shop', import.meta.url));
  it('every service gets the command it really starts with', () => {
    const starts = Object.fromEntries(detect(shop).services.map((s) => [s.name, s.start]));
    expect(starts).toEqual({
      'shop-api': 'node src/server.js',
      billing: 'uvicorn app.main:app --host 0.0.0.0 --port 8000',
      inventory: undefined,
    });
  });
});

describe('startForPort (init --port)', () => {
  it('moves --port N and 0.0.0.0:N, nothing else', () => {
    expect(startForPort('uvicorn app.main:app --host 0.0.0.0 --port 8000', 8000, 9000)).toBe('uvicorn app.main:app --host 0.0.0.0 --port 9000');
    expect(startForPort('gunicorn -b 0.0.0.0:8000 app:app', 8000, 9000)).toBe('gunicorn -b 0.0.0.0:9000 app:app');
    expect(startForPort('node server.js 8000', 8000, 9000)).toBe('node server.js 8000');
    expect(startForPort('uvicorn main:app --port 8000', 8000, 8000)).toBe('uvicorn main:app --port 8000');
  });
});
