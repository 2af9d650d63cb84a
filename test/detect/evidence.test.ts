import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect, missingCopySources } from '../../src/detect/index.js';
import { exposedPort, parseDockerfile } from '../../src/detect/dockerfile.js';
import type { ContainerService, DetectedService } from '../../src/detect/types.js';
import { goMain, json, repoWith } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const poly = detect(fixture('polyglot-compose'));
const svc = (path: string): DetectedService | ContainerService => {
  const s = [...poly.services, ...poly.containerServices].find((x) => x.path === path);
  if (!s) throw new Error(`no service at ${path}`);
  return s;
};

describe('Dockerfile reading', () => {
  it('EXPOSE ${PORT} resolves through ENV, then ARG, then the compose .env', () => {
    const df = parseDockerfile('FROM node:22\nENV PORT=3333\nEXPOSE ${PORT}\n');
    expect(exposedPort(df, 'Dockerfile').found).toEqual({ port: 3333, source: 'Dockerfile:3 `EXPOSE ${PORT}` + `ENV PORT=3333` (line 2)' });
    const arg = parseDockerfile('ARG P=8080\nFROM alpine\nARG P\nEXPOSE $P/tcp\n');
    expect(exposedPort(arg, 'Dockerfile').found?.port).toBe(8080);
    const ext = parseDockerfile('FROM alpine\nARG AD_PORT\nEXPOSE ${AD_PORT}\n');
    expect(exposedPort(ext, 'src/ad/Dockerfile').unresolved).toBe('AD_PORT');
    const env = new Map([['AD_PORT', { value: '9555', source: '.env:1 `AD_PORT=9555`' }]]);
    expect(exposedPort(ext, 'src/ad/Dockerfile', env).found).toEqual({ port: 9555, source: 'src/ad/Dockerfile:3 `EXPOSE ${AD_PORT}` + .env:1 `AD_PORT=9555`' });
  });

  it('missingCopySources: every COPY/ADD source must exist relative to the chosen context', () => {
    const root = fixture('polyglot-compose');
    expect(missingCopySources(root, '.', 'src/api/Dockerfile')).toEqual([]);
    expect(missingCopySources(root, 'src/api', 'src/api/Dockerfile')).toEqual(['src/api/pyproject.toml', 'src/api/app']);
    expect(missingCopySources(root, 'src/shipping', 'src/shipping/Dockerfile')).toEqual([]);
    // --from copies are not context sources.
    expect(missingCopySources(root, '.', 'src/ad/Dockerfile')).toEqual([]);
  });
});

describe('evidence on the polyglot compose fixture', () => {
  it('gRPC Java service: port from EXPOSE ${AD_PORT} + .env via compose, grpc.health.v1 → gRPC probe, context from compose', () => {
    const ad = svc('src/ad');
    expect(ad.name).toBe('ad');
    expect(ad.evidence.name).toEqual({ value: 'ad', source: 'compose service "ad" builds src/ad/Dockerfile', guess: false });
    expect(ad.evidence.kind.value).toBe('grpc');
    expect(ad.evidence.port).toEqual({ value: 9555, source: 'compose.yaml:2 (service ad) `ports: ${AD_PORT}` + .env:1 `AD_PORT=9555`', guess: false });
    expect(ad.evidence.readiness).toEqual({
      value: { type: 'grpc', port: 9555 },
      source: 'grpc.health.v1 registered: src/ad/src/main/java/shop/AdService.java:5 `HealthStatusManager`',
      guess: false,
    });
    expect(ad.evidence.build?.context).toEqual({ value: '.', source: 'compose.yaml:2 (service ad) `build.context: ./, dockerfile: ${AD_DOCKERFILE}`', guess: false });
    expect(ad.evidence.build?.missingSources).toEqual([]);
    expect(ad.evidence.version?.source).toBe('src/ad/Dockerfile:6 `FROM eclipse-temurin:21-jre`');
  });

  it('FastAPI: health route with router and include_router prefixes, port from os.getenv default, required env, test database', () => {
    const api = svc('src/api') as DetectedService;
    expect(api.evidence.readiness?.value).toEqual({ type: 'http', path: '/api/v1/utils/health-check/', port: 8010 });
    expect(api.evidence.readiness?.source).toContain('src/api/app/api/routes/utils.py:6 `@router.get("/health-check/"`');
    expect(api.evidence.port).toEqual({ value: 8010, source: 'src/api/app/main.py:10 `os.getenv("PORT", "8010")`', guess: false });
    expect(api.evidence.requiredEnv).toEqual([{ name: 'SECRET_KEY', source: 'src/api/app/main.py:11 `os.getenv("SECRET_KEY")`' }]);
    expect(api.evidence.testServices).toEqual([
      { name: 'db', kind: 'postgres', image: 'postgres:17', port: 5432, env: { POSTGRES_PASSWORD: 'example' }, source: 'compose.yaml:21 service db (image postgres:17) that api depends on' },
    ]);
    // The image's Python wins over requires-python, and the disagreement is a note.
    expect(api.version).toBe('3.13');
    expect(poly.notes.join('\n')).toContain("src/api: the Dockerfile runs python 3.13 (src/api/Dockerfile:1 `FROM python:3.13-slim`) but requires-python '>=3.12' says 3.12");
  });

  it('a locust load generator is a worker: no port, no probe; pytest "# via locust" is transitive, so no test command', () => {
    const lg = svc('src/loadgen') as DetectedService;
    expect(lg.evidence.kind).toEqual({ value: 'worker', source: 'locust is a dependency and no HTTP or gRPC server was found', guess: false });
    expect(lg.evidence.port).toBeUndefined();
    expect(lg.evidence.readiness?.value).toEqual({ type: 'none' });
    expect(lg.commands.test).toBeUndefined();
    expect(lg.evidence.build?.context.value).toBe('src/loadgen');
  });

  it('Spring Boot with actuator: liveness and readiness groups, server.port with a default, Maven prebuild for target/*.jar', () => {
    const web = svc('src/web') as DetectedService;
    expect(web.port).toBe(8085);
    expect(web.evidence.port?.source).toBe('src/web/src/main/resources/application.yml:2 `port: ${PORT:8085}`');
    expect(web.evidence.liveness?.value).toEqual({ type: 'http', path: '/actuator/health/liveness', port: 8085 });
    expect(web.evidence.readiness?.value).toEqual({ type: 'http', path: '/actuator/health/readiness', port: 8085 });
    expect(web.evidence.build?.prebuild).toEqual({
      value: 'mvn -B -DskipTests package',
      source: 'src/web/Dockerfile copies target/web.jar (build output, not in the repository) + src/web/pom.xml (Maven writes target/)',
      guess: false,
    });
  });

  it('a Dockerfile-only Rust service is a container service, kept out of facts.services', () => {
    expect(poly.services.map((s) => s.path)).not.toContain('src/shipping');
    const ship = svc('src/shipping') as ContainerService;
    expect(ship).toMatchObject({ name: 'shipping', language: 'rust', buildTool: 'cargo', dockerfile: 'src/shipping/Dockerfile' });
    expect(ship.evidence.framework?.value).toBe('axum');
    expect(ship.evidence.readiness?.value).toEqual({ type: 'http', path: '/healthz', port: 50050 });
    expect(ship.evidence.commands.test).toEqual({ value: 'cargo test', source: "src/shipping/Cargo.toml (cargo's test runner)", guess: false });
    expect(ship.evidence.version?.value).toBe('1.85');
  });

  it('skipped folders, Helm chart, Renovate and lint configs', () => {
    expect(poly.skipped).toContainEqual({ path: 'apps/mobile', reason: 'mobile app (react-native dependency): not deployed to a cluster' });
    expect(poly.deployments).toEqual([{ path: 'charts/shop', kind: 'helm', services: ['ad'] }]);
    expect(poly.conventions.renovate).toBe('renovate.json');
    expect(poly.conventions.yamllint).toEqual({ path: '.yamllint', lineLength: 120, commentsMinSpaces: 1, documentStart: 'disabled' });
    expect(poly.conventions.editorconfig?.all).toEqual({ indent_size: '2', max_line_length: '100' });
    expect(poly.composeFiles).toEqual(['compose.yaml']);
  });
});

describe('Nx app whose Dockerfile copies dist/', () => {
  it('context is the workspace root, prebuild runs the Nx build, port from ENV + EXPOSE, name from the folder (not @api/…)', () => {
    const facts = detect(fixture('nx-dist'));
    const api = facts.services.find((s) => s.path === 'apps/api')!;
    expect(api.evidence.build?.context.value).toBe('.');
    expect(api.evidence.build?.prebuild?.value).toBe('npx nx build api');
    expect(api.evidence.build?.missingSources).toEqual([]);
    expect(api.port).toBe(3333);
    expect(api.evidence.port?.source).toBe('apps/api/Dockerfile:6 `EXPOSE ${PORT}` + `ENV PORT=3333` (line 2)');
    expect(api.evidence.readiness?.value).toEqual({ type: 'http', path: '/api/health', port: 3333 });
    expect(facts.projectNameEvidence.guess).toBe(true);
  });
});

describe('guesses', () => {
  it('no evidence → language default, marked as a guess with the flag that fixes it, listed together', () => {
    const facts = detect(
      repoWith({
        'package.json': json({ name: 'svc', scripts: { start: 'node index.js' } }),
        'index.js': "require('http').createServer(() => {}).listen(Number(process.argv[2]));\n",
      }),
    );
    const ev = facts.services[0]!.evidence;
    expect(ev.port).toEqual({ value: 3000, source: 'nothing in the repository names the port; node default', guess: true, fix: '--port svc=3000 or services[].port' });
    expect(facts.services[0]!.port).toBeUndefined();
    expect(facts.guesses.map((g) => `${g.service} ${g.fact}: ${g.fix}`).slice(0, 2)).toEqual([
      'svc port: --port svc=3000 or services[].port',
      'svc probes: --health-path svc=/healthz or services[].healthPath',
    ]);
  });

  it('next lint is not used with Next 16; a Rails app with package.json is Ruby', () => {
    const next = detect(repoWith({ 'package.json': json({ name: 'web', scripts: { start: 'next start', lint: 'next lint' }, dependencies: { next: '^16.0.0' } }) }));
    expect(next.services[0]!.commands.lint).toBeUndefined();
    expect(next.services[0]!.reasons).toContain('scripts.lint runs `next lint`, which Next.js 16 removed → no lint command');
    const rails = detect(
      repoWith({
        Gemfile: "gem 'rails'\n",
        'package.json': json({ name: 'assets', scripts: { build: 'esbuild' } }),
        'config/routes.rb': 'Rails.application.routes.draw do\n  get "up" => "rails/health#show"\nend\n',
        Dockerfile: 'FROM ruby:3.4-slim\nCOPY . .\nEXPOSE 3000\nCMD ["./bin/rails", "server"]\n',
      }),
    );
    expect(rails.services).toEqual([]);
    expect(rails.containerServices[0]!.evidence.readiness?.value).toEqual({ type: 'http', path: '/up', port: 3000 });
    expect(rails.containerServices[0]!.language).toBe('ruby');
  });
});

describe('existing Kubernetes configuration', () => {
  it('never takes a Kustomize Component (a patch set, not deployable alone) for a service\'s tree', () => {
    const root = repoWith({
      'src/cart/go.mod': 'module example.com/cart\n\ngo 1.23\n',
      'src/cart/main.go': goMain,
      'src/cart/Dockerfile': 'FROM golang:1.23\n',
      'kustomize/components/spanner/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: cart\n',
      'deploy/cart/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n',
      'deploy/cart/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\nspec:\n  template:\n    spec:\n      containers:\n      - name: cart\n        image: example/cart\n',
    });
    const facts = detect(root);
    expect(facts.deployments.map((d) => d.path)).toEqual(['deploy/cart']);
    expect(facts.deployments[0]!.services).toEqual(['cart']);
  });
});

