import type { Handbook } from '../types.js';

/** The CI/CD chapter of the handbook, in our own words. */
export const ciHandbook: Handbook = {
  summary: 'Every commit is built, tested, scanned and packaged automatically.',
  what:
    'Continuous integration and delivery: each push and pull request runs the same pipeline — lint and ' +
    'tests in parallel, then a container image that is scanned and, on the default branch, pushed by ' +
    'digest and signed. devops-init writes this for GitHub Actions or GitLab CI (`ci.provider`): one ' +
    'pipeline per service (path-filtered in a monorepo), a repository-wide security pipeline (gitleaks ' +
    'secret scan; dependency review on GitHub, Trivy on GitLab), a drift check for the generated files, ' +
    'Dependabot updates on GitHub, and a starter Dockerfile per service.',
  why:
    'A machine that runs the checks on every change finds a regression minutes after it is written, ' +
    'while the author still remembers the code. Building the artifact the same way every time makes a ' +
    'deploy boring: what reaches staging is exactly the image that passed the checks.',
  pros: [
    'Catches regressions early',
    'Repeatable deploys',
    'Security checks run on every change, not when someone remembers',
  ],
  cons: ['Pipeline maintenance overhead', 'A slow or flaky pipeline erodes trust and gets bypassed'],
  bestFor: 'Every team',
  notes: [
    'Regressions are caught minutes after they are written, while they are cheap to fix; every deploy ships ' +
      'one immutable, signed image per commit. The price is maintenance: workflows, caches and action versions need care.',
    'Keep the pipeline under 15 minutes: lint and tests run in parallel, dependency caches are on, and ' +
      'image layers are cached between runs. Past 15 minutes the feedback loop dies and people stop waiting for it.',
    'Security scans are part of CI, never optional: Trivy fails the image job on fixable critical/high ' +
      'vulnerabilities, gitleaks fails pull requests that add secrets, and dependency review blocks known-vulnerable packages.',
    'Actions are pinned by commit SHA (tags can be moved, as the tj-actions and trivy-action compromises showed); ' +
      'workflow tokens default to read-only, and registries are reached through OIDC, never stored keys.',
    'On GitLab CI the root .gitlab-ci.yml includes .gitlab/ci/devops-init.yml, which pulls in one file per ' +
      'pipeline, so a project with its own .gitlab-ci.yml adds a single include line. Images are built rootless ' +
      'with BuildKit (no privileged Docker-in-Docker), scanned by Trivy before anything is pushed, pushed from the ' +
      'default branch only as sha-<commit> and signed keylessly with the job\'s id_tokens; every job has a ' +
      'timeout, and merge request pipelines replace branch pipelines instead of running twice.',
    'The starter Dockerfile runs `services[].start` from devops.yaml (init reads it from a plain `node <file>` start ' +
      'script, or from the Python framework and its server) in exec form, so the app is PID 1 and gets SIGTERM; it runs ' +
      'as an unprivileged user with PORT set to the service port.',
    'Images are deployed by digest and signed (cosign keyless or GitHub build-provenance attestations), so ' +
      'the cluster runs exactly what CI built.',
    'With GitOps, each image built on the default branch is pinned in the staging overlay by a pull request ' +
      '(`kustomize edit set image`); in app-token mode that PR is opened with the PROMOTION_TOKEN secret (a fine-grained ' +
      'token limited to this repository) so its checks run. Pull requests labelled "preview" get ' +
      'every service built, scanned and pushed as sha-<7-character head SHA> for their preview namespace.',
  ],
};
