import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSpec } from '../../../src/spec/load.js';
import { makeSpec } from '../../helpers/spec.js';
import { CI_CASES, renderCi } from './cases.js';

/** Split a Dockerfile into stages: each starts at a FROM line. */
const stages = (dockerfile: string): string[] => dockerfile.split(/^(?=FROM )/m).slice(1);

/** The runtime stage's instructions (comments dropped, continuation lines joined). */
function instructions(stage: string): string[] {
  return stage
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
}

/** The argv of the image's last CMD/ENTRYPOINT, which must be JSON exec form. */
function execForm(dockerfile: string): { kind: string; argv: string[] } {
  const last = instructions(stages(dockerfile).at(-1)!).filter((l) => /^(CMD|ENTRYPOINT) /.test(l)).at(-1)!;
  const [kind, ...rest] = last.split(' ');
  const argv: unknown = JSON.parse(rest.join(' '));
  expect(Array.isArray(argv) && argv.every((a) => typeof a === 'string'), last).toBe(true);
  return { kind: kind!, argv: argv as string[] };
}

const everyDockerfile = Object.entries(CI_CASES).flatMap(([name, spec]) =>
  spec.services.filter((svc) => ['node', 'python', 'go', 'java'].includes(svc.language)).map((svc) => ({ name: `${name}/${svc.name}`, svc, text: renderCi(spec)[svc.dockerfile]! })),
);

describe('seeded Dockerfiles: what the container runs', () => {
  it.each(everyDockerfile)('$name: ends in an exec-form command and never a placeholder entry point', ({ svc, text }) => {
    const { argv } = execForm(text);
    // `node .` crashes without package.json main; main.py is not where apps keep their code.
    expect(argv).not.toEqual(['node', '.']);
    expect(argv).not.toContain('main.py');
    if (svc.start) expect(argv.slice(-svc.start.split(' ').length)).toEqual(svc.start.split(' '));
  });

  it.each(everyDockerfile.filter((d) => d.svc.language !== 'java'))('$name: the runtime stage sets PORT to the service port', ({ svc, text }) => {
    expect(instructions(stages(text).at(-1)!)).toContain(`ENV PORT=${svc.port}`);
  });

  it('Node runs services[].start itself; without it, npm start behind a prominent TODO', () => {
    const r = renderCi(CI_CASES['monorepo']!);
    expect(execForm(r['apps/web/Dockerfile']!)).toEqual({ kind: 'CMD', argv: ['node', 'dist/server.js'] });
    const admin = r['apps/admin/Dockerfile']!;
    expect(execForm(admin)).toEqual({ kind: 'CMD', argv: ['npm', 'start'] });
    expect(admin).toMatch(/^# TODO: no start command \(services\[\]\.start in devops\.yaml\), so this runs `npm start`/m);
    // npm needs a writable cache; the root filesystem is read-only in the cluster, /tmp is not.
    expect(stages(admin).at(-1)).toMatch(/^ENV NPM_CONFIG_CACHE=\/tmp\/\.npm /m);
    expect(r['apps/web/Dockerfile']).not.toMatch(/NPM_CONFIG_CACHE|TODO: no start/);
  });

  it('Python without start stops with a message naming the fix instead of guessing a file', () => {
    const text = renderCi(CI_CASES['python-pip']!)['Dockerfile']!;
    const { argv } = execForm(text);
    expect(argv.slice(0, 2)).toEqual(['python', '-c']);
    expect(argv[2]).toBe('raise SystemExit("api: no start command. Set services[].start in devops.yaml and the CMD in Dockerfile.")');
    expect(text).toMatch(/^# TODO: no start command \(services\[\]\.start in devops\.yaml\)/m);
    expect(text).toMatch(/^#   CMD \["uvicorn", "app\.main:app", "--host", "0\.0\.0\.0", "--port", "8000"\]$/m);
  });

  it('Python runs services[].start, wrapped by opentelemetry-instrument only with observability', () => {
    const spec = makeSpec({
      services: [{ name: 'billing', path: '.', language: 'python', packageManager: 'uv', start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000' }],
    });
    expect(execForm(renderCi(spec)['Dockerfile']!).argv).toEqual(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']);
    const withOtel = renderCi({ ...spec, practices: ['ci', 'observability'] })['Dockerfile']!;
    expect(execForm(withOtel).argv).toEqual(['opentelemetry-instrument', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']);
  });

  it('Go, Java and Bun keep their own entry point unless services[].start says otherwise', () => {
    const plain = renderCi(CI_CASES['observability-all-stacks']!);
    expect(execForm(plain['go-api/Dockerfile']!)).toEqual({ kind: 'ENTRYPOINT', argv: ['/app'] });
    expect(execForm(plain['java-api/Dockerfile']!)).toEqual({ kind: 'ENTRYPOINT', argv: ['java', '-jar', '/app/app.jar'] });
    expect(execForm(renderCi(CI_CASES['bun']!)['Dockerfile']!)).toEqual({ kind: 'CMD', argv: ['bun', 'run', 'start'] });
    const custom = renderCi(CI_CASES['start-everywhere']!);
    expect(execForm(custom['go-api/Dockerfile']!).argv).toEqual(['/app', 'serve', '--verbose']);
    expect(execForm(custom['java-api/Dockerfile']!).argv).toEqual(['java', '-cp', '/app/app.jar', 'com.acme.App']);
    expect(execForm(custom['edge/Dockerfile']!).argv).toEqual(['bun', 'src/index.ts']);
    // With a custom command the jar need not be runnable by itself.
    expect(custom['java-api/Dockerfile']).not.toMatch(/Main-Class/);
    expect(plain['java-api/Dockerfile']).toMatch(/grep -q '\^Main-Class:'/);
  });

  it('Go copies go.mod with or without go.sum, so modules without dependencies build', () => {
    const build = instructions(stages(renderCi(CI_CASES['go']!)['Dockerfile']!)[0]!);
    const copy = build.findIndex((l) => l === 'COPY go.* ./');
    expect(copy).toBeGreaterThan(-1);
    expect(build[copy + 1]).toBe('RUN go mod download');
    expect(build.join('\n')).not.toMatch(/go\.sum/);
  });
});

describe('services[].start in devops.yaml', () => {
  const yaml = (start: string) =>
    `version: 1\nproject: { name: shop, repository: acme/shop }\nservices:\n  - { name: api, path: ., language: node, start: ${JSON.stringify(start)} }\n`;

  it('accepts a plain command line', () => {
    expect(parseSpec(yaml('node dist/server.js --trace-warnings')).spec.services[0]!.start).toBe('node dist/server.js --trace-warnings');
  });

  it.each([
    ['quotes', 'node "my server.js"'],
    ['a shell variable', 'uvicorn app:app --port $PORT'],
    ['shell operators', 'npm run build && node dist/server.js'],
    ['a double space', 'node  server.js'],
    ['a trailing space', 'node server.js '],
    ['a newline', 'node server.js\nrm -rf /'],
  ])('rejects %s (exec form has no shell to interpret it)', (_why, start) => {
    expect(() => parseSpec(yaml(start))).toThrow(/start/);
  });
});

// The jar-picking shell of the Java build stage, run for real against fake build outputs.
describe('Java build stage: picks exactly one runnable jar', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** The RUN that builds and copies the jar, with the build tool stubbed to create `jars`, run in a temp dir. */
  function pickJar(caseName: 'java-maven' | 'java-gradle', jars: string[]): { status: number | null; copied?: string; stderr: string } {
    const spec = CI_CASES[caseName]!;
    const text = renderCi(spec)[spec.services[0]!.dockerfile]!;
    const run = instructions(stages(text)[0]!).find((l) => /^RUN \.\/(mvnw|gradlew) .*(package|build)/.test(l))!;
    const dir = mkdtempSync(join(tmpdir(), 'jar-pick-'));
    made.push(dir);
    const outDir = caseName === 'java-maven' ? 'target' : 'build/libs';
    const tool = caseName === 'java-maven' ? 'mvnw' : 'gradlew';
    const stub = `#!/bin/sh\nmkdir -p ${outDir}\n${jars.map((j) => `echo ${j} > ${outDir}/${j}`).join('\n')}\n`;
    writeFileSync(join(dir, tool), stub, { mode: 0o755 });
    mkdirSync(join(dir, 'out'));
    const script = run.slice('RUN '.length).replaceAll('/out', `${dir}/out`);
    const res = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    const app = join(dir, 'out', 'app.jar');
    return { status: res.status, stderr: res.stderr, ...(existsSync(app) ? { copied: readFileSync(app, 'utf8').trim() } : {}) };
  }

  it('Maven: the application jar, not the shade original, sources or javadoc', () => {
    const r = pickJar('java-maven', ['app-1.0.jar', 'original-app-1.0.jar', 'app-1.0-sources.jar', 'app-1.0-javadoc.jar']);
    expect(r.status).toBe(0);
    expect(r.copied).toBe('app-1.0.jar');
  });

  it("Gradle: Spring Boot's jar, not the -plain one", () => {
    const r = pickJar('java-gradle', ['catalog-0.1.0.jar', 'catalog-0.1.0-plain.jar']);
    expect(r.status).toBe(0);
    expect(r.copied).toBe('catalog-0.1.0.jar');
  });

  it('fails the build when no jar or several candidates come out', () => {
    const none = pickJar('java-maven', []);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/expected one runnable jar in target\/, found none/);
    const two = pickJar('java-gradle', ['a.jar', 'b.jar']);
    expect(two.status).not.toBe(0);
    expect(two.copied).toBeUndefined();
  });
});
