import { previewIdentity } from '../../model/preview-identity.js';
import type { RegistryLogin } from '../../model/types.js';

/**
 * Registry login for the push and sign jobs (Alpine; see images.ts): the registry user and a
 * short-lived password go into a Docker config file that skopeo (`--authfile`) and cosign
 * (`DOCKER_CONFIG`) both read. The GitLab registry takes the job's own credentials
 * (CI_REGISTRY_USER / CI_REGISTRY_PASSWORD, valid for this job only); ECR, Artifact Registry
 * and ACR take the job's OIDC token (`id_tokens`), exchanged for a registry token, so no
 * long-lived key is stored anywhere.
 *
 * The cloud exchanges follow each provider's documented token endpoints; they could not be run
 * offline while writing this, so the exact requests are marked as unverified below.
 */
export interface RegistryAccess {
  /** Alpine packages the login needs (besides the job's own tool). */
  packages: string[];
  /** Job variables (settings from devops.yaml; never secrets). */
  variables: Record<string, string>;
  /** OIDC tokens the job requests, by variable name. */
  idTokens: Record<string, { aud: string }>;
  /** Shell lines that end with `$DOCKER_CONFIG/config.json` holding the registry login. */
  login: string;
}

/**
 * Writes `$DOCKER_CONFIG/config.json` for REGISTRY_HOST from a user name and the password on
 * stdin. Each login first captures its password in a variable, so a failed exchange stops the
 * job (errexit) instead of writing an empty password.
 */
const WRITE_CONFIG = [
  'docker_login() {',
  '  # usage: printf %s "$password" | docker_login USER',
  '  mkdir -p "$DOCKER_CONFIG"',
  '  auth=$(printf \'%s:%s\' "$1" "$(cat)" | base64 | tr -d \'\\n\')',
  '  printf \'{"auths":{"%s":{"auth":"%s"}}}\\n\' "$REGISTRY_HOST" "$auth" > "$DOCKER_CONFIG/config.json"',
  '}',
].join('\n');

/**
 * Whose identity logs in: the release identity (devops.yaml; trusts the default branch), or the
 * preview identity (merge request pipelines): iac's preview role, else the CI/CD variable
 * `previewIdentity` names, checked first so an unset variable stops the job with a message
 * instead of falling back to the release identity.
 */
export type RegistryIdentity = 'release' | 'preview';

export function registryAccess(r: RegistryLogin, gitlabUrl: string, identity: RegistryIdentity = 'release'): RegistryAccess {
  if (identity === 'preview') return previewAccess(r, gitlabUrl);
  const base = { REGISTRY_HOST: r.host, DOCKER_CONFIG: '/tmp/devops-init-docker' };
  switch (r.kind) {
    case 'gitlab':
      return {
        packages: [],
        variables: base,
        idTokens: {},
        login: [WRITE_CONFIG, '# The job token: push access to this project\'s registry, for this job only.', 'printf \'%s\' "$CI_REGISTRY_PASSWORD" | docker_login "$CI_REGISTRY_USER"'].join('\n'),
      };
    case 'ecr':
      return {
        packages: ['aws-cli'],
        variables: { ...base, AWS_REGION: r.region, AWS_ROLE_ARN: r.roleArn },
        // The IAM OIDC provider for the GitLab instance lists this audience; the role's trust
        // policy pins the `sub` claim (project_path:<path>:ref_type:branch:ref:<branch>).
        idTokens: { AWS_ID_TOKEN: { aud: 'sts.amazonaws.com' } },
        login: [
          WRITE_CONFIG,
          '# AssumeRoleWithWebIdentity through the AWS CLI\'s web-identity credentials (unverified offline).',
          'AWS_WEB_IDENTITY_TOKEN_FILE=$(mktemp)',
          'printf \'%s\' "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"',
          'export AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_REGION',
          'export AWS_ROLE_SESSION_NAME="gitlab-$CI_PROJECT_ID-$CI_JOB_ID"',
          'password=$(aws ecr get-login-password --region "$AWS_REGION")',
          'printf \'%s\' "$password" | docker_login AWS',
        ].join('\n'),
      };
    case 'gar':
      return {
        packages: ['curl', 'jq'],
        variables: { ...base, GCP_WORKLOAD_IDENTITY_PROVIDER: r.workloadIdentityProvider, GCP_SERVICE_ACCOUNT: r.serviceAccount },
        // A workload identity provider's default allowed audience is its full resource URL.
        idTokens: { GCP_ID_TOKEN: { aud: `https://iam.googleapis.com/${r.workloadIdentityProvider}` } },
        login: [
          WRITE_CONFIG,
          '# Workload Identity Federation: STS token exchange, then a short-lived access token of the',
          '# service account (iamcredentials generateAccessToken). Unverified offline.',
          'federated=$(curl -sSf https://sts.googleapis.com/v1/token \\',
          '  --data-urlencode "audience=//iam.googleapis.com/$GCP_WORKLOAD_IDENTITY_PROVIDER" \\',
          '  --data-urlencode "grant_type=urn:ietf:params:oauth:grant-type:token-exchange" \\',
          '  --data-urlencode "requested_token_type=urn:ietf:params:oauth:token-type:access_token" \\',
          '  --data-urlencode "scope=https://www.googleapis.com/auth/cloud-platform" \\',
          '  --data-urlencode "subject_token_type=urn:ietf:params:oauth:token-type:jwt" \\',
          '  --data-urlencode "subject_token=$GCP_ID_TOKEN" | jq -er .access_token)',
          'password=$(curl -sSf -X POST -H "Authorization: Bearer $federated" -H "Content-Type: application/json" \\',
          '  -d \'{"scope":["https://www.googleapis.com/auth/cloud-platform"]}\' \\',
          '  "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/$GCP_SERVICE_ACCOUNT:generateAccessToken" \\',
          '  | jq -er .accessToken)',
          'printf \'%s\' "$password" | docker_login oauth2accesstoken',
        ].join('\n'),
      };
    case 'acr':
      return {
        packages: ['curl', 'jq'],
        variables: { ...base, AZURE_CLIENT_ID: r.clientId, AZURE_TENANT_ID: r.tenantId },
        // The audience Microsoft Entra federated credentials expect.
        idTokens: { AZURE_ID_TOKEN: { aud: 'api://AzureADTokenExchange' } },
        login: [
          WRITE_CONFIG,
          '# Entra ID client-credentials grant with the job\'s token as a federated assertion, then',
          '# ACR\'s /oauth2/exchange for a registry refresh token. Unverified offline.',
          'entra=$(curl -sSf "https://login.microsoftonline.com/$AZURE_TENANT_ID/oauth2/v2.0/token" \\',
          '  --data-urlencode "client_id=$AZURE_CLIENT_ID" \\',
          '  --data-urlencode "grant_type=client_credentials" \\',
          '  --data-urlencode "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer" \\',
          '  --data-urlencode "client_assertion=$AZURE_ID_TOKEN" \\',
          '  --data-urlencode "scope=https://containerregistry.azure.net/.default" | jq -er .access_token)',
          'password=$(curl -sSf "https://$REGISTRY_HOST/oauth2/exchange" \\',
          '  --data-urlencode "grant_type=access_token" \\',
          '  --data-urlencode "service=$REGISTRY_HOST" \\',
          '  --data-urlencode "tenant=$AZURE_TENANT_ID" \\',
          '  --data-urlencode "access_token=$entra" | jq -er .refresh_token)',
          '# ACR\'s fixed user name for refresh tokens.',
          'printf \'%s\' "$password" | docker_login 00000000-0000-0000-0000-000000000000',
        ].join('\n'),
      };
    case 'ghcr':
      // Rejected by devops.yaml validation on GitLab (ci.registry ghcr needs GitHub).
      throw new Error(`registry ghcr cannot be used from GitLab CI (${gitlabUrl})`);
  }
}

/** The settings variable the preview identity replaces, per registry. */
const IDENTITY_SETTING: Record<'ecr' | 'gar' | 'acr', string> = { ecr: 'AWS_ROLE_ARN', gar: 'GCP_SERVICE_ACCOUNT', acr: 'AZURE_CLIENT_ID' };

function previewAccess(r: RegistryLogin, gitlabUrl: string): RegistryAccess {
  if (r.kind === 'ecr' && r.previewRoleArn) return registryAccess({ ...r, roleArn: r.previewRoleArn }, gitlabUrl);
  const access = registryAccess(r, gitlabUrl);
  const preview = previewIdentity(r);
  if (!preview || (r.kind !== 'ecr' && r.kind !== 'gar' && r.kind !== 'acr')) return access;
  const setting = IDENTITY_SETTING[r.kind];
  const { [setting]: _release, ...variables } = access.variables;
  const check = [
    `if [ -z "\${${preview.variable}:-}" ]; then`,
    `  echo "${preview.variable} is not set: add ${preview.what} as a CI/CD variable (not protected: merge request pipelines read it). Previews never push with the release identity (${preview.releaseKey}); see docs/gitops.md." >&2`,
    '  exit 1',
    'fi',
    `${setting}=$${preview.variable}`,
  ].join('\n');
  return { ...access, variables, login: `${check}\n${access.login}` };
}
