/**
 * Container images the GitLab CI jobs run in, pinned by release tag. A tag can be moved; a
 * digest cannot: append `@sha256:<digest>` to any of them once you have checked it (e.g.
 * `docker buildx imagetools inspect <image>`), which devops-init cannot do offline. Renovate's
 * gitlabci manager bumps tags and digests alike.
 *
 * The language images of lint and test jobs come from the model (the seeded Dockerfile's
 * versions); these are the tools around them.
 *
 * Guesses, not verified offline (no registry or runner here): that these tags are still
 * published, and that Alpine 3.22's community repository carries skopeo, cosign and aws-cli
 * (it did for 3.20-3.21). gitlab-ci-local validates the configuration, not the images.
 */
export const GITLAB_IMAGES = {
  /**
   * BuildKit's rootless image: builds without Docker-in-Docker or a privileged runner. GitLab's
   * "Build Docker images with BuildKit" (https://docs.gitlab.com/ci/docker/using_buildkit/)
   * gives it as the replacement for kaniko, which Google archived, with
   * BUILDKITD_FLAGS=--oci-worker-no-process-sandbox, `entrypoint: [""]` and
   * `buildctl-daemonless.sh`; `--local dockerfile=` takes the Dockerfile's folder.
   */
  buildkit: 'moby/buildkit:v0.23.0-rootless',
  /** Trivy: image scan of the built archive, SBOM, and the repository's dependency scan. */
  trivy: 'aquasec/trivy:0.65.0',
  /**
   * Alpine for the registry jobs (push, sign): skopeo, cosign, curl/jq and the AWS CLI come
   * from this release's signed package repositories (`apk add`), so one small image serves
   * every registry and no binary is downloaded unverified.
   */
  alpine: 'alpine:3.22',
} as const;

/** Node for `devops-init check` (the same major the README's CI recipe uses). */
export const CHECK_NODE_IMAGE = 'node:22.23.2-alpine';

/** The official kustomize image (Alpine with git; kustomize on PATH): `registry.k8s.io/kustomize/kustomize:v<version>`. */
export const kustomizeImage = (version: string): string => `registry.k8s.io/kustomize/kustomize:v${version}`;
