import { buildContextLines } from '../../model/otel.js';
import { folderOf } from '../../model/service.js';
import type { RegistryLogin } from '../../model/types.js';
import { GITLAB_IMAGES } from './images.js';
import { registryAccess, type RegistryIdentity } from './registry.js';
import type { Job, Need, Rule } from './types.js';

/**
 * The image jobs every service pipeline (and the preview pipeline) is made of:
 * build (BuildKit, rootless) → scan (Trivy) → push (default branch) → sign (cosign keyless).
 * The archive that Trivy scanned is the archive that is pushed: nothing is rebuilt in between.
 */

/** Where one image's files live between jobs (artifacts), relative to the project. */
export interface ImageFiles {
  /** OCI archive written by the build, scanned and pushed. */
  archive: string;
  /** CycloneDX SBOM of the archive, attested by the sign job. */
  sbom: string;
  /** dotenv written by the push: IMAGE_DIGEST. */
  digestEnv: string;
}

export const imageFiles = (key: string): ImageFiles => ({
  archive: `ci-artifacts/${key}/image.tar`,
  sbom: `ci-artifacts/${key}/sbom.cdx.json`,
  digestEnv: `ci-artifacts/${key}/image.env`,
});

/**
 * A service pipeline's image files: the same paths for every service, so the shared templates
 * hold them (no variable in `artifacts:`, whose expansion GitLab leaves to the runner). They
 * never collide: a job downloads only the artifacts of the jobs it `needs` with
 * `artifacts: true`, and those are the same service's.
 */
export const SERVICE_IMAGE_FILES: ImageFiles = {
  archive: 'ci-artifacts/image.tar',
  sbom: 'ci-artifacts/sbom.cdx.json',
  digestEnv: 'ci-artifacts/image.env',
};

export interface BuildInput {
  context: string;
  dockerfile: string;
  /** Named build contexts (name → folder) the Dockerfile reads with `COPY --from=<name>`. */
  namedContexts?: Record<string, string>;
  /** GitLab cache key of BuildKit's layer cache. */
  cacheKey: string;
  /** Where that cache lives in the project (default `.cache/buildkit/<cacheKey>`). */
  cacheDir?: string;
  files: ImageFiles;
  needs: (string | Need)[];
  rules: Rule[];
  tags?: string[];
}

/**
 * BuildKit's daemonless script, rootless. It runs as the image's unprivileged user (uid 1000),
 * which must be able to write the project folder: GitLab's Docker executor checks out with
 * umask 0000 for that reason (assumed here, not verified on every executor). The restored layer cache and the archive stay out of
 * the build context during the build (a root-context Dockerfile `COPY . .` would otherwise copy
 * them into the image and miss the cache every time), and the new cache replaces the old one
 * so it does not grow without bound.
 */
const BUILD_SCRIPT = [
  'work=$(mktemp -d)',
  'set --',
  'if [ -f "$BUILDKIT_CACHE/index.json" ]; then',
  '  mv "$BUILDKIT_CACHE" "$work/cache-in"',
  '  set -- --import-cache "type=local,src=$work/cache-in"',
  'fi',
  '# Named build contexts (BUILD_CONTEXTS: name=folder words), what docker build --build-context passes.',
  'for named in ${BUILD_CONTEXTS:-}; do',
  '  set -- "$@" --local "$named" --opt "context:${named%%=*}=local:${named%%=*}"',
  'done',
  'buildctl-daemonless.sh build \\',
  '  --frontend dockerfile.v0 \\',
  '  --local context="$CONTEXT" \\',
  '  --local dockerfile="$DOCKERFILE_DIR" \\',
  '  --opt filename="$DOCKERFILE_NAME" \\',
  '  --opt label:org.opencontainers.image.source="$CI_PROJECT_URL" \\',
  '  --opt label:org.opencontainers.image.revision="$CI_COMMIT_SHA" \\',
  '  "$@" \\',
  '  --export-cache "type=local,dest=$work/cache-out,mode=max" \\',
  '  --output "type=oci,dest=$work/image.tar"',
  'mkdir -p "$(dirname "$ARCHIVE")" "$(dirname "$BUILDKIT_CACHE")"',
  'rm -rf "$BUILDKIT_CACHE"',
  'mv "$work/cache-out" "$BUILDKIT_CACHE"',
  'mv "$work/image.tar" "$ARCHIVE"',
].join('\n');

export function buildJob(i: BuildInput): Job {
  const name = i.dockerfile.slice(i.dockerfile.lastIndexOf('/') + 1);
  const named = buildContextLines(i.namedContexts ?? {});
  // The script splits BUILD_CONTEXTS on blanks: a name or folder with one would be split.
  for (const c of named) if (/\s/.test(c)) throw new Error(`named build context ${JSON.stringify(c)} has a blank`);
  const cacheDir = i.cacheDir ?? `.cache/buildkit/${i.cacheKey}`;
  return {
    stage: 'test',
    image: { name: GITLAB_IMAGES.buildkit, entrypoint: [''] },
    needs: i.needs,
    rules: i.rules,
    timeout: '15m',
    interruptible: true,
    ...(i.tags ? { tags: i.tags } : {}),
    variables: {
      // Rootless BuildKit inside an unprivileged container cannot create its own PID namespace.
      BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox',
      CONTEXT: i.context,
      // BuildKit takes the Dockerfile's folder and its file name separately.
      DOCKERFILE_DIR: folderOf(i.dockerfile),
      DOCKERFILE_NAME: name,
      ...(named.length ? { BUILD_CONTEXTS: named.join(' ') } : {}),
      BUILDKIT_CACHE: cacheDir,
      ARCHIVE: i.files.archive,
    },
    cache: [{ key: `buildkit-${i.cacheKey}`, paths: [cacheDir] }],
    script: [BUILD_SCRIPT],
    artifacts: { paths: [i.files.archive], expire_in: '1 day' },
  };
}

export interface ScanInput {
  files: ImageFiles;
  build: string;
  rules: Rule[];
  tags?: string[];
  /** Write the SBOM the sign job attests. */
  sbom: boolean;
}

/** Trivy on the built archive: fails on CRITICAL/HIGH findings that have a fix. */
export function scanJob(i: ScanInput): Job {
  // Trivy's --input takes an OCI image layout folder (its docs' "OCI layout" case): unpack the
  // archive first. Not run here (no Trivy offline).
  const script = [
    ['layout=$(mktemp -d)', 'tar -xf "$ARCHIVE" -C "$layout"', 'trivy image --input "$layout" --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1', ...(i.sbom ? ['trivy image --input "$layout" --format cyclonedx --output "$SBOM"'] : [])].join('\n'),
  ];
  return {
    stage: 'test',
    image: { name: GITLAB_IMAGES.trivy, entrypoint: [''] },
    needs: [{ job: i.build, artifacts: true }],
    rules: i.rules,
    timeout: '10m',
    interruptible: true,
    ...(i.tags ? { tags: i.tags } : {}),
    variables: {
      ARCHIVE: i.files.archive,
      ...(i.sbom ? { SBOM: i.files.sbom } : {}),
      TRIVY_CACHE_DIR: '.cache/trivy',
      TRIVY_NO_PROGRESS: 'true',
    },
    // One vulnerability database for every scan job.
    cache: [{ key: 'trivy-db', paths: ['.cache/trivy'] }],
    script,
    ...(i.sbom ? { artifacts: { paths: [i.files.sbom], expire_in: '1 week' } } : {}),
  };
}

export interface PushInput {
  image: string;
  /** Shell expression of the tag, e.g. `sha-$CI_COMMIT_SHA`. */
  tag: string;
  files: ImageFiles;
  build: string;
  scan: string;
  registry: RegistryLogin;
  /** Log in as the preview identity instead of the release one (preview pushes). */
  identity?: RegistryIdentity;
  gitlabUrl: string;
  rules: Rule[];
  tags?: string[];
  /** Extra shell run before the push (e.g. computing the tag). */
  prelude?: string[];
  /** Write IMAGE_DIGEST as a dotenv report for later jobs. */
  digest: boolean;
}

/**
 * Push the scanned archive unchanged (skopeo keeps its digest) under an immutable tag; the
 * digest goes to later jobs as a dotenv report. Never interruptible: a cancelled push could
 * leave a tag without its signature. `--preserve-digests` makes skopeo fail rather than
 * convert the OCI manifest, so the digest Trivy saw is the digest pushed and signed.
 */
export function pushJob(i: PushInput): Job {
  const access = registryAccess(i.registry, i.gitlabUrl, i.identity);
  return {
    stage: 'deploy',
    image: GITLAB_IMAGES.alpine,
    needs: [
      { job: i.build, artifacts: true },
      { job: i.scan, artifacts: false },
    ],
    rules: i.rules,
    timeout: '10m',
    interruptible: false,
    ...(i.tags ? { tags: i.tags } : {}),
    variables: { IMAGE: i.image, ARCHIVE: i.files.archive, ...(i.digest ? { DIGEST_ENV: i.files.digestEnv } : {}), ...access.variables },
    ...(Object.keys(access.idTokens).length ? { id_tokens: access.idTokens } : {}),
    before_script: [`apk add --no-cache ${['skopeo', ...access.packages].join(' ')}`, access.login],
    script: [
      [
        ...(i.prelude ?? []),
        `tag="${i.tag}"`,
        'skopeo copy --preserve-digests --digestfile "$ARCHIVE.digest" --authfile "$DOCKER_CONFIG/config.json" \\',
        '  "oci-archive:$ARCHIVE" "docker://$IMAGE:$tag"',
        ...(i.digest ? ['echo "IMAGE_DIGEST=$(cat "$ARCHIVE.digest")" > "$DIGEST_ENV"'] : []),
        'echo "Pushed $IMAGE:$tag ($(cat "$ARCHIVE.digest"))"',
      ].join('\n'),
    ],
    ...(i.digest ? { artifacts: { reports: { dotenv: i.files.digestEnv }, expire_in: '1 week' } } : {}),
  };
}

export interface SignInput {
  image: string;
  files: ImageFiles;
  push: string;
  scan: string;
  registry: RegistryLogin;
  gitlabUrl: string;
  rules: Rule[];
  tags?: string[];
}

/**
 * cosign keyless: Sigstore's Fulcio issues a short-lived certificate for the job's OIDC identity
 * (the SIGSTORE_ID_TOKEN id_token, audience `sigstore`, which cosign reads by itself); the
 * signature and the SBOM attestation are stored beside the image and logged in Rekor.
 * Signs the digest, never a tag.
 */
export function signJob(i: SignInput): Job {
  const access = registryAccess(i.registry, i.gitlabUrl);
  return {
    stage: 'deploy',
    image: GITLAB_IMAGES.alpine,
    needs: [
      { job: i.push, artifacts: true },
      { job: i.scan, artifacts: true },
    ],
    rules: i.rules,
    timeout: '10m',
    interruptible: false,
    ...(i.tags ? { tags: i.tags } : {}),
    variables: { IMAGE: i.image, SBOM: i.files.sbom, ...access.variables },
    id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' }, ...access.idTokens },
    before_script: [`apk add --no-cache ${['cosign', ...access.packages].join(' ')}`, access.login],
    script: [
      'cosign sign --yes "$IMAGE@$IMAGE_DIGEST"',
      'cosign attest --yes --type cyclonedx --predicate "$SBOM" "$IMAGE@$IMAGE_DIGEST"',
    ],
  };
}
