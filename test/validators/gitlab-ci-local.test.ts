import { describe, expect, it } from 'vitest';
import { extractGitlabScripts, shellcheckGitlab, shellcheckGitlabFiles } from './shellcheck.js';
import { validateGitlabPipeline } from './gitlab-ci-local.js';
import { haveTool } from './tool.js';
import { yamllintRecord } from './yamllint.js';

/** A small pipeline in the shape devops-init writes: a root include, workflow rules, two jobs. */
const ROOT = 'include:\n  - local: .gitlab/ci/jobs.yml\n';
const JOBS = `workflow:
  rules:
    - if: '$CI_PIPELINE_SOURCE == "merge_request_event"'
    - if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS'
      when: never
    - if: '$CI_COMMIT_BRANCH'

api:test:
  stage: test
  image: node:22.23.2
  needs: []
  timeout: 10m
  interruptible: true
  variables:
    SERVICE_DIR: services/api
  before_script:
    - 'cd "$CI_PROJECT_DIR/$SERVICE_DIR"'
    - npm ci
  script:
    - npm test

api:push:
  stage: deploy
  image: alpine:3.22
  needs:
    - job: api:test
      artifacts: false
  rules:
    - if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'
  timeout: 10m
  interruptible: false
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
  script:
    - |-
      tag="sha-$CI_COMMIT_SHA"
      echo "would push $tag"
`;
const good = { '.gitlab-ci.yml': ROOT, '.gitlab/ci/jobs.yml': JOBS };

describe('gitlab-ci-local 4.60.0 (GitLab\'s JSON schema, offline)', () => {
  it('accepts a valid pipeline and lists the jobs its rules let run', () => {
    const main = validateGitlabPipeline(good);
    expect(main.errors).toEqual([]);
    expect(main.jobs).toEqual(['api:test', 'api:push']);
    // The push job's rule: the default branch only.
    expect(validateGitlabPipeline(good, { branch: 'feature' }).jobs).toEqual(['api:test']);
  });

  it('fails on an unknown job key', () => {
    const r = validateGitlabPipeline({ ...good, '.gitlab/ci/jobs.yml': JOBS.replace('  timeout: 10m\n  interruptible: true', '  timeoutx: 10m\n  interruptible: true') });
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(/timeoutx/);
  });

  it('fails on a value of the wrong type (interruptible must be a boolean)', () => {
    const r = validateGitlabPipeline({ ...good, '.gitlab/ci/jobs.yml': JOBS.replace('interruptible: false', 'interruptible: sometimes') });
    expect(r.ok).toBe(false);
  });

  it('fails on an id_token without its audience', () => {
    const r = validateGitlabPipeline({ ...good, '.gitlab/ci/jobs.yml': JOBS.replace('      aud: sigstore\n', '      audience: sigstore\n') });
    expect(r.ok).toBe(false);
  });

  it('fails on a rules:if pattern GitLab cannot read (an unescaped / ends the pattern)', () => {
    const r = validateGitlabPipeline({ ...good, '.gitlab/ci/jobs.yml': JOBS.replace("- if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'", "- if: '$CI_COMMIT_BRANCH =~ /^promote[/]/'") });
    expect(r.ok).toBe(false);
  });

  it('fails when an included file is missing', () => {
    const r = validateGitlabPipeline({ '.gitlab-ci.yml': ROOT });
    expect(r.ok).toBe(false);
  });
});

describe.runIf(haveTool('shellcheck'))('shellcheck on GitLab script: lines', () => {
  it('checks before_script and script of a job together, as POSIX sh', async () => {
    const scripts = extractGitlabScripts(JOBS);
    expect(scripts.map((s) => s.where)).toEqual(['api:test', 'api:push']);
    expect(scripts[0]!.script).toBe('set -e\ncd "$CI_PROJECT_DIR/$SERVICE_DIR"\nnpm ci\nnpm test\n');
    expect(await shellcheckGitlab(JOBS, 'info')).toEqual([]);
  });

  it('catches a bashism that busybox sh would not run', async () => {
    const broken = JOBS.replace('tag="sha-$CI_COMMIT_SHA"', 'tag="sha-${CI_COMMIT_SHA:0:7}"');
    expect((await shellcheckGitlab(broken)).join('\n')).toMatch(/^api:push: line \d+.*SC3057/m);
  });

  it('catches an unquoted expansion at info severity', async () => {
    const broken = JOBS.replace('echo "would push $tag"', 'echo would push $tag');
    expect(await shellcheckGitlab(broken, 'warning')).toEqual([]);
    expect((await shellcheckGitlab(broken, 'info')).join('\n')).toMatch(/SC2086/);
  });

  it('several files in one process: each file gets its own findings, as one run per file gives', async () => {
    const broken = JOBS.replace('tag="sha-$CI_COMMIT_SHA"', 'tag="sha-${CI_COMMIT_SHA:0:7}"');
    const each = await shellcheckGitlabFiles([JOBS, broken, JOBS], 'info');
    expect(each).toEqual([[], await shellcheckGitlab(broken, 'info'), []]);
    expect(each[1]!.join('\n')).toMatch(/^api:push: line \d+.*SC3057/m);
  });
});

describe.runIf(haveTool('yamllint'))('yamllint on GitLab CI files', () => {
  it('accepts the pipeline', () => {
    expect(yamllintRecord(good)).toEqual([]);
  });

  it('catches a duplicate job key', () => {
    const findings = yamllintRecord({ '.gitlab/ci/jobs.yml': JOBS.replace('  timeout: 10m\n  interruptible: true', '  timeout: 10m\n  timeout: 20m\n  interruptible: true') });
    expect(findings.join('\n')).toMatch(/duplication of key "timeout"/);
  });
});
