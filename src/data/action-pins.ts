/**
 * GitHub Actions pinned by full commit SHA, copied from the pin list verified against each
 * action repository (git rev-parse TAG^{commit}). Never invent a SHA: update tag and SHA together.
 */
export const ACTION_PINS = {
  "actions/checkout": { tag: "v7.0.1", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1" },
  "actions/setup-node": { tag: "v7.0.0", sha: "820762786026740c76f36085b0efc47a31fe5020" },
  "actions/setup-python": { tag: "v7.0.0", sha: "5fda3b95a4ea91299a34e894583c3862153e4b97" },
  "actions/setup-go": { tag: "v7.0.0", sha: "b7ad1dad31e06c5925ef5d2fc7ad053ef454303e" },
  "actions/setup-java": { tag: "v5.7.0", sha: "b6effb05e454b25005698d916606bdc6ffcbf961" },
  "actions/cache": { tag: "v5.0.5", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae" },
  "actions/upload-artifact": { tag: "v7.0.0", sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f" },
  "actions/download-artifact": { tag: "v8.0.1", sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c" },
  "actions/dependency-review-action": { tag: "v4.9.0", sha: "2031cfc080254a8a887f58cffee85186f0e49e48" },
  "actions/attest-build-provenance": { tag: "v4.1.0", sha: "a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32" },
  "docker/setup-buildx-action": { tag: "v4.3.0", sha: "37fe631027851001ddb9b187196cc803df7f5f0e" },
  "docker/setup-qemu-action": { tag: "v4.2.0", sha: "96fe6ef7f33517b61c61be40b68a1882f3264fb8" },
  "docker/login-action": { tag: "v4.1.0", sha: "4907a6ddec9925e35a0a9e82d7399ccc52663121" },
  "docker/metadata-action": { tag: "v6.2.0", sha: "dc802804100637a589fabce1cb79ff13a1411302" },
  "docker/build-push-action": { tag: "v7.3.0", sha: "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a" },
  "aquasecurity/trivy-action": { tag: "v0.36.0", sha: "ed142fd0673e97e23eac54620cfb913e5ce36c25" },
  "github/codeql-action": { tag: "v4.36.2", sha: "8aad20d150bbac5944a9f9d289da16a4b0d87c1e" },
  "sigstore/cosign-installer": { tag: "v4.1.2", sha: "6f9f17788090df1f26f669e9d70d6ae9567deba6" },
  "aws-actions/configure-aws-credentials": { tag: "v6.2.3", sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c" },
  "aws-actions/amazon-ecr-login": { tag: "v2.1.7", sha: "03f1aad4c6c7ffd436567f42f9384779290529bd" },
  "google-github-actions/auth": { tag: "v3.0.0", sha: "7c6bc770dae815cd3e89ee6cdf493a5fab2cc093" },
  "google-github-actions/setup-gcloud": { tag: "v3.0.1", sha: "aa5489c8933f4cc7a4f7d45035b3b1440c9c10db" },
  "azure/login": { tag: "v3.0.1", sha: "f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca" },
  "hashicorp/setup-terraform": { tag: "v4.0.1", sha: "dfe3c3f87815947d99a8997f908cb6525fc44e9e" },
  "gitleaks/gitleaks-action": { tag: "v3.0.0", sha: "e0c47f4f8be36e29cdc102c57e68cb5cbf0e8d1e" },
  "pnpm/action-setup": { tag: "v4.0.0", sha: "fe02b34f77f8bc703788d5817da081398fad5dd2" },
  "astral-sh/setup-uv": { tag: "v10.0.1", sha: "20cfd1bf945f4377ade1205e4dbc17946fc9a30d" },
  "oven-sh/setup-bun": { tag: "v2.2.0", sha: "0c5077e51419868618aeaa5fe8019c62421857d6" },
  "dtolnay/rust-toolchain": { tag: "stable", sha: "29eef336d9b2848a0b548edc03f92a220660cdb8" },
  "actions/github-script": { tag: "v8.0.0", sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd" },
  "peter-evans/create-pull-request": { tag: "v8.1.1", sha: "5f6978faf089d4d20b00c7766989d076bb2fc7f1" },
  "azure/setup-kubectl": { tag: "v5.1.0", sha: "829323503d1be3d00ca8346e5391ca0b07a9ab0d" },
  "imranismail/setup-kustomize": { tag: "v2.1.0", sha: "2ba527d4d055ab63514ba50a99456fc35684947f" },
} as const satisfies Record<string, { tag: string; sha: string }>;

export type PinnedAction = keyof typeof ACTION_PINS;
