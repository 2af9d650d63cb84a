import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { answerAll } from '../ask/answer.js';
import { promptCheckbox, promptInput } from '../ask/prompt.js';
import { detect, describeFacts } from '../detect/index.js';
import type { RepoFacts } from '../detect/types.js';
import { UsageError } from '../errors.js';
import { buildPlan } from '../plan/build.js';
import { PRACTICES } from '../practices/index.js';
import { applyToRaw } from '../spec/edit.js';
import { parseSpec, SPEC_FILE } from '../spec/load.js';
import { normalizeSpec } from '../spec/normalize.js';
import { requiredBy } from '../spec/semantic.js';
import type { PracticeId } from '../spec/types.js';
import { newSpecText } from '../spec/write.js';
import { renderLoaded } from '../tree/repo.js';
import { chalk, emitJson, say } from '../ui/output.js';
import { planJson } from '../ui/plan-view.js';
import { detectCiProvider, type DetectedCiProvider } from './ci-provider.js';
import { isInteractive, overrideReader, repoRoot, type GlobalOptions } from './context.js';
import { parsePractices, withRequired } from './practices-arg.js';
import { serviceOverrides } from './service-flags.js';
import { askGuesses } from './ask-guesses.js';
import { specFromFacts, type ServiceFlags } from './spec-from-facts.js';
import { finish } from './sync.js';
import { withRepoLock } from './writer.js';

export interface InitOptions extends GlobalOptions {
  practices?: string;
  name?: string;
  repository?: string;
  port?: string[];
  healthPath?: string[];
  ciProvider?: string;
  [flag: string]: unknown;
}

const NAME_RE = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const REPO_RE = /^[A-Za-z0-9-]+\/(?!\.\.?$)[A-Za-z0-9._-]+$/;
/** A GitLab project path: group, optional subgroups, project (the schema's repository pattern). */
const GITLAB_PATH_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/;

/** Per-service answers from --port and --health-path, checked against every detected deployable. */
function serviceFlags(facts: RepoFacts, opts: InitOptions): ServiceFlags {
  const names = [...facts.services, ...facts.containerServices].map((s) => s.name);
  return {
    ports: serviceOverrides(opts.port, names, '--port', (v) => {
      const n = Number(v);
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
    }),
    health: serviceOverrides(opts.healthPath, names, '--health-path', (v) => (/^\/[A-Za-z0-9._~/-]*$/.test(v) ? v : undefined)),
    kinds: new Map(),
    tcp: new Set(),
  };
}

async function chooseName(facts: RepoFacts, opts: InitOptions, interactive: boolean): Promise<string> {
  const check = (v: string) => (NAME_RE.test(v) ? undefined : 'use lowercase letters, digits and "-", starting with a letter (at most 40)');
  if (opts.name !== undefined) {
    const err = check(opts.name);
    if (err) throw new UsageError(`--name ${JSON.stringify(opts.name)}: ${err}.`);
    return opts.name;
  }
  const detected = facts.projectNameEvidence.value;
  return interactive ? promptInput('Project name', detected, check) : detected;
}

async function chooseRepository(facts: RepoFacts, opts: InitOptions, interactive: boolean, name: string, provider: DetectedCiProvider['provider']): Promise<string> {
  const gitlab = provider === 'gitlab';
  const check = gitlab
    ? (v: string) => (GITLAB_PATH_RE.test(v) && !v.split('/').includes('..') ? undefined : 'use the GitLab project path group[/subgroup]/project, e.g. acme/shop')
    : (v: string) => (REPO_RE.test(v) ? undefined : 'use the GitHub form owner/repo, e.g. acme/shop (a GitLab project path with subgroups needs --ci-provider gitlab)');
  if (opts.repository !== undefined) {
    const err = check(opts.repository);
    if (err) throw new UsageError(`--repository ${JSON.stringify(opts.repository)}: ${err}.`);
    return opts.repository;
  }
  // GitLab keeps the whole path (subgroups included); GitHub is always owner/repo.
  const detected = gitlab ? (facts.remote?.path ?? facts.repository) : facts.repository;
  if (interactive) return promptInput(gitlab ? 'GitLab project path (group/project)' : 'GitHub repository (owner/repo)', detected ?? `my-org/${name}`, check);
  if (detected) return detected;
  throw new UsageError(
    gitlab
      ? 'devops-init needs the GitLab project path (group/project) for image names and Argo CD, and this repository has no "origin" remote.'
      : 'devops-init needs the GitHub repository (owner/repo) for image names and Argo CD, and this repository has no "origin" remote.',
    gitlab
      ? 'Pass --repository group/project (or add the remote: git remote add origin https://gitlab.com/group/project.git).'
      : 'Pass --repository owner/repo (or add the remote: git remote add origin https://github.com/owner/repo.git).',
  );
}

/** The chosen practices plus what they require, saying which were added and why. */
function withRequiredSaid(chosen: PracticeId[]): PracticeId[] {
  const all = withRequired(chosen);
  const added = all.filter((p) => !chosen.includes(p));
  if (added.length) say(`Also enabling ${added.join(', ')}, which ${chosen.filter((c) => requiredBy(c).some((r) => added.includes(r))).join(', ')} need${added.length === 1 ? 's' : ''}.`);
  return all;
}

/**
 * The provider init starts from: --ci-provider, else what the repository shows. Interactive
 * runs may still pick the other one (the ci practice's question); this decides the defaults
 * and how the repository path is read.
 */
function startingProvider(opts: InitOptions, detected: DetectedCiProvider): DetectedCiProvider['provider'] {
  if (opts.ciProvider === 'gitlab' || opts.ciProvider === 'github') return opts.ciProvider;
  return detected.provider;
}

/**
 * devops.yaml's `ci` section after the questions: keys in the schema's order, and the GitHub
 * default left implicit (`provider: github` and GitLab settings seeded for a detected GitLab
 * that the user turned down are dropped), so GitHub specs stay as they always were.
 */
function tidyCi(raw: Record<string, unknown>): void {
  const ci = raw['ci'] as Record<string, unknown> | undefined;
  if (!ci) return;
  if (ci['provider'] === 'github') {
    delete ci['provider'];
    delete ci['gitlab'];
  }
  const order = ['provider', 'registry', 'signing', 'github', 'gitlab'];
  raw['ci'] = Object.fromEntries([...order.filter((k) => k in ci).map((k) => [k, ci[k]]), ...Object.entries(ci).filter(([k]) => !order.includes(k))]);
}

async function choosePractices(opts: InitOptions, interactive: boolean): Promise<PracticeId[]> {
  if (opts.practices !== undefined) return withRequiredSaid(parsePractices(opts.practices, '--practices'));
  // Opt-in practices (iac) are never enabled by default: they need answers no default can give.
  const available = PRACTICES.filter((p) => !p.optIn).map((p) => p.id);
  if (!interactive) return available;
  const picked = await promptCheckbox(
    'Practices to set up',
    PRACTICES.map((p) => ({ value: p.id, name: `${p.id.padEnd(14)} ${p.handbook.summary}`, checked: !p.optIn })),
  );
  if (picked.length === 0) throw new UsageError('No practice selected; nothing to do.', 'Pick at least one, e.g. ci.');
  return withRequiredSaid(picked as PracticeId[]);
}

/** `devops-init init`: detect → ask → compute → plan → apply, in a repository without devops.yaml. */
export async function runInit(opts: InitOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'init', opts.dryRun, () => init(root, opts));
}

async function init(root: string, opts: InitOptions): Promise<number> {
  if (lstatSync(join(root, SPEC_FILE), { throwIfNoEntry: false })) {
    throw new UsageError(`${SPEC_FILE} already exists in ${root}.`, 'Use `devops-init add <practice>` to add practices or `devops-init sync` to regenerate.');
  }
  const interactive = isInteractive(opts);
  // 1. Detect (read-only).
  const facts = detect(root);
  const detectedProvider = detectCiProvider(root, facts);
  if (!opts.json && (opts.dryRun || opts.verbose)) {
    say(chalk.bold('Detected'));
    // Evidence per fact (describeFacts); guesses are marked and listed together at the end with their fix.
    for (const line of describeFacts(facts)) say(line.startsWith('guess: ') ? chalk.yellow(`  ${line}`) : `  ${line}`);
    say(`  CI provider: ${detectedProvider.reason}`);
    if (opts.verbose) {
      for (const s of facts.services) {
        say(chalk.dim(`  why ${s.path}:`));
        for (const r of s.reasons) say(chalk.dim(`    - ${r}`));
      }
    }
    say();
  }
  if (facts.services.length === 0 && facts.containerServices.length === 0) {
    throw new UsageError(
      `No service found in ${root}: devops-init looks for package.json, pyproject.toml or requirements.txt, go.mod, pom.xml or build.gradle, or a Dockerfile.`,
      `Run it at the root of a repository with a deployable service (or -C <dir>).${facts.skipped.length ? ` Seen but not deployable: ${facts.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}.` : ''}`,
    );
  }
  const provider = startingProvider(opts, detectedProvider);
  // 2. Ask (flags > prompt > detected default).
  const name = await chooseName(facts, opts, interactive);
  const repository = await chooseRepository(facts, opts, interactive, name, provider);
  const practices = await choosePractices(opts, interactive);
  const flags = serviceFlags(facts, opts);
  if (interactive) await askGuesses(facts, flags);
  const raw = specFromFacts(facts, name, repository, practices, flags);
  // The detected provider is the ci questions' default (and GitLab's, the promotion token's).
  if (provider === 'gitlab') raw['ci'] = { provider, ...(detectedProvider.gitlab ? { gitlab: detectedProvider.gitlab } : {}) };
  const questions = PRACTICES.filter((p) => practices.includes(p.id)).flatMap((p) => p.questions);
  const edits = await answerAll(questions, normalizeSpec(raw), { interactive, flags: opts }, (e) => {
    applyToRaw(raw, e);
    return normalizeSpec(raw);
  });
  void edits;
  tidyCi(raw);
  // 3. Compute: the spec text is validated exactly as a hand-written one would be.
  const text = newSpecText(raw);
  const loaded = parseSpec(text);
  // With the team's template overrides, as sync renders: the lock's digests (finish) include them.
  const tree = renderLoaded(loaded, overrideReader(root));
  // 4. Plan (no lock yet: nothing can need a merge).
  const plan = await buildPlan(root, tree, undefined, {
    base: async () => undefined,
    merge: async () => {
      throw new Error('init never merges');
    },
  });
  if (opts.dryRun && opts.json) {
    emitJson({ ...(planJson(plan, 'init', { dryRun: true }) as object), detected: facts, spec: loaded.raw });
    return 0;
  }
  // 5. Apply (devops.yaml, generated files, lock — all or nothing).
  const code = await finish(root, plan, loaded, { ...opts, json: false, quiet: opts.quiet || opts.json }, 'init', opts.dryRun ? [] : [{ path: SPEC_FILE, content: text }]);
  if (opts.json) emitJson(planJson(plan, 'init', { dryRun: false, spec: loaded.raw }));
  else if (!opts.dryRun) printNextSteps(practices, loaded.spec.ci.provider, detectedProvider.gitlab !== undefined && loaded.spec.ci.provider === 'gitlab');
  return code;
}

function printNextSteps(practices: PracticeId[], provider: 'github' | 'gitlab', guessedRegistry: boolean): void {
  say();
  say(chalk.bold('Next steps'));
  say('  1. Review the files (git status, git diff) and commit them with devops.yaml and .devops-init/lock.json.');
  if (provider === 'gitlab') {
    if (practices.includes('ci')) say('  2. Push: the pipelines run on merge requests; `devops-check` fails a merge request whose generated files drift. docs/gitlab-ci.md lists the project settings they need.');
    if (guessedRegistry) say('     ci.gitlab.registry was guessed from the origin host: check it against your instance\'s container registry.');
    if (practices.includes('gitops')) say('  3. Store a project access token as the masked, protected CI/CD variable PROMOTION_TOKEN, protect the "production" environment, then bootstrap Argo CD with the root app (see docs/gitops.md).');
  } else {
    if (practices.includes('ci')) say('  2. Push: the workflows run on pull requests; `devops-check` fails a PR whose generated files drift.');
    if (practices.includes('gitops')) say('  3. Create GitHub environments "staging" and "production" (with required reviewers), then bootstrap Argo CD with the root app (see docs/gitops.md).');
  }
  if (practices.includes('iac')) say('  4. Bootstrap each AWS account once (state bucket, the CI provider\'s OIDC provider, Terraform roles), then let CI plan and apply: see docs/infrastructure.md.');
  say('  Change anything in devops.yaml, then run `npx devops-init sync`. `npx devops-init explain` tells the why.');
}

