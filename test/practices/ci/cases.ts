import type { Spec } from '../../../src/spec/types.js';
import { makeSpec, renderedFiles } from '../../helpers/spec.js';

/** Render cases covering every stack, registry, signing method and GitOps mode the ci practice supports. */
export const CI_CASES: Record<string, Spec> = {
  'node-npm': makeSpec(),
  'node-yarn': makeSpec({
    services: [{ name: 'api', path: '.', language: 'node', packageManager: 'yarn', commands: { lint: 'yarn lint', test: 'yarn test' } }],
  }),
  'node-pnpm-workspace-member': makeSpec({
    services: [
      {
        name: 'web', path: 'apps/web', language: 'node', packageManager: 'pnpm', workspaceRoot: '.',
        commands: { lint: 'pnpm lint', test: 'pnpm test', build: 'pnpm build' },
      },
    ],
  }),
  bun: makeSpec({
    services: [{ name: 'edge', path: '.', language: 'node', packageManager: 'bun', commands: { test: 'bun test' } }],
  }),
  'python-uv': makeSpec({
    services: [{ name: 'api', path: '.', language: 'python', packageManager: 'uv', commands: { lint: 'uv run ruff check .', test: 'uv run pytest' } }],
  }),
  'python-poetry': makeSpec({
    services: [{ name: 'api', path: 'backend', language: 'python', packageManager: 'poetry', version: '3.13', commands: { lint: 'poetry run ruff check .', test: 'poetry run pytest' } }],
  }),
  'python-pip': makeSpec({
    services: [{ name: 'api', path: '.', language: 'python', packageManager: 'pip', version: '3.11', commands: { test: 'python -m pytest' } }],
  }),
  go: makeSpec({
    services: [{ name: 'api', path: '.', language: 'go', version: '1.25', commands: { lint: 'go vet ./...', test: 'go test -race ./...' } }],
  }),
  'java-maven': makeSpec({
    services: [{ name: 'api', path: '.', language: 'java', packageManager: 'maven', commands: { test: './mvnw -B verify' } }],
  }),
  'java-gradle': makeSpec({
    services: [{ name: 'api', path: 'service', language: 'java', packageManager: 'gradle', version: '17', commands: { lint: './gradlew --no-daemon spotlessCheck', test: './gradlew --no-daemon test' } }],
  }),
  monorepo: makeSpec({
    practices: ['ci', 'gitops', 'observability'],
    services: [
      {
        name: 'web', path: 'apps/web', language: 'node', packageManager: 'pnpm', workspaceRoot: '.', start: 'node dist/server.js',
        commands: { lint: 'pnpm lint', test: 'pnpm test', build: 'pnpm build' },
      },
      { name: 'admin', path: 'apps/admin', language: 'node', packageManager: 'pnpm', workspaceRoot: '.', commands: { test: 'pnpm test' } },
      { name: 'worker', path: 'services/worker', language: 'go', commands: { lint: 'go vet ./...', test: 'go test ./...' } },
    ],
  }),
  'registry-ecr': makeSpec({ ci: { registry: 'ecr', aws: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha-push' } } }),
  'registry-gar': makeSpec({
    ci: {
      registry: 'gar',
      gcp: {
        location: 'europe-west1', project: 'shop-prod-1',
        workloadIdentityProvider: 'projects/123456/locations/global/workloadIdentityPools/github/providers/acme',
        serviceAccount: 'ci-push@shop-prod-1.iam.gserviceaccount.com',
      },
    },
  }),
  'registry-acr': makeSpec({
    ci: {
      registry: 'acr',
      azure: {
        registry: 'acmeshop', clientId: '00000000-0000-0000-0000-000000000001',
        tenantId: '00000000-0000-0000-0000-000000000002', subscriptionId: '00000000-0000-0000-0000-000000000003',
      },
    },
  }),
  'signing-attestation': makeSpec({ ci: { signing: 'attestation' } }),
  'gitops-pull-request': makeSpec({ practices: ['ci', 'gitops'] }),
  'gitops-app-token': makeSpec({ practices: ['ci', 'gitops'], gitops: { promotion: 'app-token' } }),
  'gitops-previews-monorepo': makeSpec({
    practices: ['ci', 'gitops'],
    services: [
      { name: 'web', path: 'services/web', language: 'node', commands: { lint: 'npm run lint', test: 'npm test' } },
      { name: 'worker', path: 'services/worker', language: 'go', commands: { test: 'go test ./...' } },
    ],
  }),
  // Issue 10: languages built from the team's own Dockerfile, test services, build context and prebuild.
  'rust-dockerfile-only': makeSpec({
    services: [{ name: 'api', path: 'api', language: 'rust', packageManager: 'cargo', version: '1.83', dockerfile: 'api/Dockerfile', commands: { install: 'cargo fetch --locked', test: 'cargo test --locked' } }],
  }),
  'other-languages': makeSpec({
    services: [
      { name: 'billing', path: 'billing', language: 'dotnet', packageManager: 'nuget', version: '8.0', dockerfile: 'billing/Dockerfile', commands: { install: 'dotnet restore', test: 'dotnet test' } },
      { name: 'shop', path: 'shop', language: 'ruby', packageManager: 'bundler', version: '3.3', dockerfile: 'shop/Dockerfile', commands: { install: 'bundle install', test: 'bundle exec rspec' } },
      { name: 'cms', path: 'cms', language: 'php', packageManager: 'composer', version: '8.3', dockerfile: 'cms/Dockerfile', commands: { install: 'composer install --no-interaction', test: 'composer test' } },
      { name: 'chat', path: 'chat', language: 'elixir', packageManager: 'mix', version: '1.17', dockerfile: 'chat/Dockerfile', commands: { install: 'mix deps.get', test: 'mix test' } },
      { name: 'ads', path: 'ads', language: 'kotlin', packageManager: 'gradle', version: '21', dockerfile: 'ads/Dockerfile', commands: { install: './gradlew --no-daemon dependencies', test: './gradlew --no-daemon test' } },
      // A Dockerfile-only image: no install, no check command known, so no check job and no empty step.
      { name: 'proxy', path: 'proxy', language: 'container', packageManager: 'none', dockerfile: 'proxy/Dockerfile', commands: { install: '' } },
    ],
  }),
  'test-services-prebuild': makeSpec({
    services: [{
      name: 'api', path: 'apps/api', language: 'node', dockerfile: 'apps/api/Dockerfile', buildContext: '.',
      commands: { test: 'npm test', prebuild: 'npx nx build api' },
      testServices: [
        { name: 'postgres', image: 'postgres:16-alpine', port: 5432, env: { POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'app' } },
        { name: 'cache', image: 'redis:7-alpine', port: 6379 },
      ],
    }],
  }),
  // GitOps folder inside a service folder (and written with a trailing slash).
  'gitops-dir-in-service': makeSpec({
    practices: ['ci', 'gitops'],
    gitops: { dir: 'app/deploy/' },
    services: [{ name: 'api', path: 'app', language: 'node', commands: { test: 'npm test' } }],
  }),
  'gitops-no-previews': makeSpec({ practices: ['ci', 'gitops'], gitops: { previews: false } }),
  'gitops-previews-ecr': makeSpec({
    practices: ['ci', 'gitops'],
    ci: { registry: 'ecr', aws: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha-push' } },
  }),
  'gitops-previews-gar': makeSpec({
    practices: ['ci', 'gitops'],
    ci: {
      registry: 'gar',
      gcp: {
        location: 'europe-west1', project: 'shop-prod-1',
        workloadIdentityProvider: 'projects/123456/locations/global/workloadIdentityPools/github/providers/acme',
        serviceAccount: 'ci-push@shop-prod-1.iam.gserviceaccount.com',
      },
    },
  }),
  'gitops-previews-acr': makeSpec({
    practices: ['ci', 'gitops'],
    ci: {
      registry: 'acr',
      azure: {
        registry: 'acmeshop', clientId: '00000000-0000-0000-0000-000000000001',
        tenantId: '00000000-0000-0000-0000-000000000002', subscriptionId: '00000000-0000-0000-0000-000000000003',
      },
    },
  }),
  // services[].start set for the stacks whose images otherwise run the binary, the jar or a script.
  'start-everywhere': makeSpec({
    services: [
      { name: 'edge', path: 'edge', language: 'node', packageManager: 'bun', start: 'bun src/index.ts', commands: { test: 'bun test' } },
      { name: 'go-api', path: 'go-api', language: 'go', start: '/app serve --verbose', commands: { test: 'go test ./...' } },
      { name: 'java-api', path: 'java-api', language: 'java', packageManager: 'gradle', start: 'java -cp /app/app.jar com.acme.App', commands: { test: './gradlew test' } },
    ],
  }),
  'observability-all-stacks': makeSpec({
    practices: ['ci', 'observability'],
    services: [
      { name: 'node-api', path: 'node-api', language: 'node', start: 'node src/server.js', commands: { test: 'npm test' } },
      {
        name: 'py-uv', path: 'py-uv', language: 'python', packageManager: 'uv', port: 8000,
        start: 'uvicorn app.main:app --host 0.0.0.0 --port 8000', commands: { test: 'uv run pytest' },
      },
      {
        name: 'py-poetry', path: 'py-poetry', language: 'python', packageManager: 'poetry', port: 5000,
        start: 'gunicorn -b 0.0.0.0:5000 ledger.app:app', commands: { test: 'poetry run pytest' },
      },
      // No start: the seeded Dockerfile must stop with a message, not run a guessed file.
      { name: 'py-pip', path: 'py-pip', language: 'python', commands: { test: 'pytest' } },
      { name: 'go-api', path: 'go-api', language: 'go', commands: { test: 'go test ./...' } },
      { name: 'java-api', path: 'java-api', language: 'java', commands: { test: './mvnw -B verify' } },
    ],
  }),
};

/**
 * The CI files of the full render, keeping spec.practices as is (the ci output depends on
 * whether gitops and observability are enabled): the ci practice's files and the preview
 * image workflow and shared staging promotion gitops adds to CI.
 */
export function renderCi(spec: Spec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of renderedFiles(spec)) if (f.practice === 'ci' || f.path === '.github/workflows/previews.yml' || f.path === '.github/workflows/_promote-staging.yml') out[f.path] = f.content;
  return out;
}
