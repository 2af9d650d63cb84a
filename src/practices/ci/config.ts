import type { ObjectSchemaFor, PracticeConfig, ProjectIdentity } from '../../spec/config.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Spec } from '../../spec/types.js';

/** Where CI runs: the provider whose pipelines the ci practice's emitter writes. */
export const CI_PROVIDERS = ['github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

export const REGISTRIES = ['ghcr', 'gitlab', 'ecr', 'gar', 'acr'] as const;
export type Registry = (typeof REGISTRIES)[number];

/** GitHub Actions settings. */
export interface GithubCiConfig {
  /** Runner label every job uses. */
  runner: string;
}

/** GitLab CI settings. */
export interface GitlabCiConfig {
  /** The GitLab instance, e.g. https://gitlab.com (web links, Argo CD's repository URL). */
  url: string;
  /** Host of its container registry (images are `<registry>/<project path>/<service>`). */
  registry: string;
  /** Runner tags every job asks for; empty: any shared runner. */
  runnerTags: string[];
}

export interface CiConfig {
  provider: CiProvider;
  registry: Registry;
  signing: 'cosign' | 'attestation';
  /** Who opens dependency-update PRs: Dependabot (generated), Renovate (the repository's own config), or nobody. */
  dependencyUpdates: 'dependabot' | 'renovate' | 'none';
  github: GithubCiConfig;
  gitlab: GitlabCiConfig;
  /** Registry settings for ECR/GAR/ACR (OIDC; no long-lived keys). */
  aws?: { region: string; roleArn: string };
  gcp?: { location: string; project: string; workloadIdentityProvider: string; serviceAccount: string };
  azure?: { registry: string; clientId: string; tenantId: string; subscriptionId: string };
  /** @deprecated devops.yaml `ci.runner`, read as `ci.github.runner`. */
  runner?: string;
}

const HOST = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$';
const RUNNER = { type: 'string', pattern: '^[a-z0-9.-]+$' } as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    provider: { enum: [...CI_PROVIDERS], description: 'Where CI runs: github (GitHub Actions) or gitlab (GitLab CI). Default: github, or gitlab when the repository has a .gitlab-ci.yml or a gitlab.com origin.' },
    registry: { enum: [...REGISTRIES], description: 'Container registry: ghcr (GitHub), gitlab (the GitLab project\'s registry), ecr, gar or acr (those need ci.aws / ci.gcp / ci.azure; all OIDC). With the iac practice, ecr needs no ci.aws: iac creates the repositories and the push role, and they win over ci.aws. Default: the provider\'s own registry.' },
    signing: { enum: ['cosign', 'attestation'], description: 'cosign: keyless signature of the pushed digest (Sigstore). attestation: GitHub build-provenance attestation (GitHub only).' },
    dependencyUpdates: { enum: ['dependabot', 'renovate', 'none'], description: 'dependabot: devops-init writes .github/dependabot.yml (GitHub). renovate: the repository\'s own Renovate config opens the updates (no Dependabot, so no duplicate PRs; docs/ci.md says how to keep actions pinned by SHA in Renovate). none: no automated updates. Default: dependabot on GitHub, none on GitLab; init picks renovate when a Renovate config exists.' },
    github: {
      type: 'object', additionalProperties: false,
      properties: { runner: { ...RUNNER, description: 'Runner label for every GitHub Actions job (default ubuntu-24.04).' } },
    },
    gitlab: {
      type: 'object', additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$', description: 'The GitLab instance (default https://gitlab.com).' },
        registry: { type: 'string', pattern: HOST, description: 'Host of the GitLab container registry (default registry.gitlab.com; required for a self-managed instance).' },
        runnerTags: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' }, description: 'Runner tags every job asks for (default: none, any shared runner).' },
      },
    },
    aws: {
      type: 'object', additionalProperties: false, required: ['region', 'roleArn'],
      properties: { region: { type: 'string', pattern: '^[a-z0-9-]+$' }, roleArn: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$' } },
    },
    gcp: {
      type: 'object', additionalProperties: false, required: ['location', 'project', 'workloadIdentityProvider', 'serviceAccount'],
      properties: {
        location: { type: 'string', pattern: '^[a-z0-9-]+$' },
        project: { type: 'string', pattern: '^[a-z][a-z0-9-]{4,28}[a-z0-9]$' },
        workloadIdentityProvider: { type: 'string', pattern: '^projects/[0-9]+/locations/global/workloadIdentityPools/[a-z0-9-]+/providers/[a-z0-9-]+$' },
        serviceAccount: { type: 'string', pattern: '^[a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com$' },
      },
    },
    azure: {
      type: 'object', additionalProperties: false, required: ['registry', 'clientId', 'tenantId', 'subscriptionId'],
      properties: {
        registry: { type: 'string', pattern: '^[a-z0-9]{5,50}$' },
        clientId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
        tenantId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
        subscriptionId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
      },
    },
    runner: { ...RUNNER, description: 'Deprecated: use ci.github.runner (read as that when set).' },
  },
} satisfies ObjectSchemaFor<CiConfig>;

export const GITLAB_COM = 'https://gitlab.com';

export function ciDefaults(project: ProjectIdentity): CiConfig {
  return {
    provider: project.forge,
    registry: project.forge === 'gitlab' ? 'gitlab' : 'ghcr',
    signing: 'cosign',
    dependencyUpdates: project.forge === 'github' ? 'dependabot' : 'none',
    github: { runner: 'ubuntu-24.04' },
    gitlab: { url: GITLAB_COM, registry: 'registry.gitlab.com', runnerTags: [] },
  };
}

/** Settings that only make sense together: registry and provider, the registry's OIDC settings. */
function validate(spec: Spec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const ci = spec.ci;
  const need: Partial<Record<Registry, 'aws' | 'gcp' | 'azure'>> = { ecr: 'aws', gar: 'gcp', acr: 'azure' };
  const section = need[ci.registry];
  // With iac on, ECR's repositories and CI's push role come from the infrastructure (model.infra).
  const fromIac = ci.registry === 'ecr' && spec.practices.includes('iac');
  if (section && !ci[section] && !fromIac) {
    issues.push({ path: ['ci', 'registry'], message: `registry ${ci.registry} needs ci.${section} settings`, fix: `add ci.${section} (see the README spec reference) or use the provider's own registry` });
  }
  if (ci.registry === 'ghcr' && ci.provider !== 'github') {
    issues.push({ path: ['ci', 'registry'], message: 'registry ghcr is GitHub\'s; GitLab pipelines push to the project\'s own registry', fix: 'use registry: gitlab (or ecr, gar, acr)' });
  }
  if (ci.registry === 'gitlab' && ci.provider !== 'gitlab') {
    issues.push({ path: ['ci', 'registry'], message: 'registry gitlab needs ci.provider: gitlab', fix: 'use registry: ghcr on GitHub (or ecr, gar, acr)' });
  }
  if (ci.dependencyUpdates === 'dependabot' && ci.provider !== 'github') {
    issues.push({ path: ['ci', 'dependencyUpdates'], message: 'Dependabot runs on GitHub only', fix: 'use dependencyUpdates: renovate (with your Renovate config) or none' });
  }
  if (ci.signing === 'attestation' && ci.provider !== 'github') {
    issues.push({ path: ['ci', 'signing'], message: 'build-provenance attestations are a GitHub feature', fix: 'use signing: cosign (keyless, with GitLab id_tokens)' });
  }
  if (ci.provider === 'github' && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(spec.project.repository)) {
    issues.push({ path: ['project', 'repository'], message: `"${spec.project.repository}" is not a GitHub repository (owner/repo)`, fix: 'use owner/repo, e.g. acme/shop (GitLab subgroups need ci.provider: gitlab)' });
  }
  if (ci.provider === 'gitlab' && ci.gitlab.url !== GITLAB_COM && ci.gitlab.registry === 'registry.gitlab.com') {
    issues.push({ path: ['ci', 'gitlab'], message: `a self-managed GitLab (${ci.gitlab.url}) has its own container registry`, fix: 'set ci.gitlab.registry to its host, e.g. registry.gitlab.example.com' });
  }
  spec.services.forEach((s, i) => {
    for (const [k, cmd] of Object.entries(s.commands)) {
      if (typeof cmd === 'string' && cmd.includes('${{')) {
        issues.push({ path: ['services', i, 'commands', k], message: 'commands must not contain GitHub expressions (${{ … }})', fix: 'GitHub would evaluate them inside run: (script injection); use an environment variable instead' });
      }
    }
  });
  return issues;
}

/** services[].testServices: containers the test job runs beside the tests (a database they connect to). */
const testServices: SchemaNode = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'image'],
    properties: {
      name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'Hostname the tests reach it by (and the CI service name), e.g. postgres.' },
      image: { type: 'string', pattern: '^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$', description: 'Container image, e.g. postgres:16-alpine.' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      env: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: { type: 'string', pattern: '^[^\\n\\r\\x00$`"\'\\\\]*$' }, description: 'Environment the container needs to start (test credentials only).' },
    },
  },
  description: 'Containers the test job runs beside the tests, e.g. the database they connect to (detected from compose depends_on).',
};

export const ciConfig: PracticeConfig = {
  practice: 'ci',
  requires: [],
  // iac, when enabled, provisions the registry and the role CI pushes with (model.registry).
  after: ['iac'],
  section: { key: 'ci', schema: schema as SchemaNode, defaults: ciDefaults },
  service: { schema: { testServices }, defaults: () => ({}) },
  validate,
};
