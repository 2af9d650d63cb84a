import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findTool } from './tool.js';

const run = promisify(execFile);

/**
 * Terraform offline: the registry is unreachable here, so `init` installs hashicorp/aws from a
 * filesystem mirror on the machine image. The mirror is found at run time; a CLI config
 * pointing at it and a shared plugin cache live in a temporary folder (TF_CLI_CONFIG_FILE,
 * TF_PLUGIN_CACHE_DIR), and each working folder keeps its .terraform in a temporary
 * TF_DATA_DIR, so the rendered tree stays as rendered.
 */

/** Folders a provider mirror is usually in, before falling back to a search. */
const CANDIDATES = ['/opt/tf-plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins', join(process.env['HOME'] ?? '/root', '.terraform.d/plugins')];
const PROVIDER = 'registry.terraform.io/hashicorp/aws';

function hasAws(root: string): boolean {
  const dir = join(root, PROVIDER);
  return existsSync(dir) && readdirSync(dir).length > 0;
}

let mirrorCache: string | null | undefined;
/** The mirror root (the folder holding registry.terraform.io/…), or undefined. */
export function findMirror(): string | undefined {
  if (mirrorCache !== undefined) return mirrorCache ?? undefined;
  const env = process.env['TF_PROVIDER_MIRROR'];
  let found = [env, ...CANDIDATES].find((d): d is string => Boolean(d) && hasAws(d!));
  if (!found) {
    try {
      const stdout = execFileSync('find', ['/opt', '/usr', '/root', '/home', '-xdev', '-maxdepth', '8', '-path', `*${PROVIDER}/*`, '-name', 'terraform-provider-aws*'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const hit = stdout.split('\n').find(Boolean);
      if (hit) found = hit.slice(0, hit.indexOf(`/${PROVIDER}/`));
    } catch {
      // find exits non-zero on unreadable folders; a hit on stdout still counts above.
    }
  }
  mirrorCache = found ?? null;
  return found;
}

/** True when Terraform and the AWS mirror are here; in CI a missing one is a failure. */
export function haveTerraform(): boolean {
  const missing = !findTool('terraform') ? 'terraform is not installed' : !findMirror() ? `no filesystem mirror of ${PROVIDER} was found (set TF_PROVIDER_MIRROR to its root)` : undefined;
  if (!missing) return true;
  const msg = `${missing}: Terraform validation needs it (see ../shared/VALIDATORS.md or the README's test section)`;
  if (process.env['CI']) throw new Error(msg);
  console.warn(`skipping: ${msg}`);
  return false;
}

let sharedEnv: Record<string, string> | undefined;
/** The environment every terraform call gets: offline CLI config and one plugin cache per test process. */
export function terraformEnv(): Record<string, string> {
  if (sharedEnv) return sharedEnv;
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-tf-'));
  const config = join(dir, 'cli.tfrc');
  writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(findMirror())}\n    include = ["${PROVIDER}"]\n  }\n  direct {\n    exclude = ["${PROVIDER}"]\n  }\n}\n`,
  );
  mkdirSync(join(dir, 'plugins'));
  sharedEnv = {
    TF_CLI_CONFIG_FILE: config,
    TF_PLUGIN_CACHE_DIR: join(dir, 'plugins'),
    // Roots here have no lock file yet: let the cache serve them anyway.
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  return sharedEnv;
}

export interface TfResult {
  code: number;
  output: string;
}

/** Run terraform in `cwd` with the offline environment and a data dir of its own. */
export async function terraform(cwd: string, args: string[], dataDir?: string): Promise<TfResult> {
  const env = { ...process.env, ...terraformEnv(), ...(dataDir ? { TF_DATA_DIR: dataDir } : {}) };
  try {
    const { stdout, stderr } = await run('terraform', [...args, '-no-color'], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

let warm: Promise<TfResult> | undefined;
/**
 * Fill the plugin cache once, before any parallel init: two inits installing into an empty
 * cache at the same time trip over each other ("still not detected … a bug in Terraform").
 */
function warmCache(): Promise<TfResult> {
  warm ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-tfwarm-'));
    writeFileSync(join(dir, 'versions.tf'), `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n`);
    return terraform(dir, ['init', '-backend=false', '-input=false'], join(dir, '.terraform'));
  })();
  return warm;
}

/** `terraform init -backend=false` then `validate`, in a fresh data dir; the validate result. */
export async function initAndValidate(cwd: string): Promise<TfResult> {
  await warmCache();
  const data = mkdtempSync(join(tmpdir(), 'devops-init-tfdata-'));
  const init = await terraform(cwd, ['init', '-backend=false', '-input=false'], data);
  if (init.code !== 0) return { code: init.code, output: `init failed:\n${init.output}` };
  return terraform(cwd, ['validate'], data);
}

/**
 * One `terraform init -backend=false`, then `validate` and `terraform test` in that data dir:
 * the same two checks as initAndValidate and initAndTest, without a second init of the same
 * folder. A failed init fails both.
 */
export async function initValidateAndTest(cwd: string): Promise<{ validate: TfResult; test: TfResult }> {
  await warmCache();
  const data = mkdtempSync(join(tmpdir(), 'devops-init-tfdata-'));
  const init = await terraform(cwd, ['init', '-backend=false', '-input=false'], data);
  if (init.code !== 0) {
    const failed = { code: init.code, output: `init failed:\n${init.output}` };
    return { validate: failed, test: failed };
  }
  const validate = await terraform(cwd, ['validate'], data);
  return { validate, test: await terraform(cwd, ['test'], data) };
}

/** `terraform init -backend=false` then `terraform test` (the module's tests/ folder). */
export async function initAndTest(cwd: string): Promise<TfResult> {
  await warmCache();
  const data = mkdtempSync(join(tmpdir(), 'devops-init-tfdata-'));
  const init = await terraform(cwd, ['init', '-backend=false', '-input=false'], data);
  if (init.code !== 0) return { code: init.code, output: `init failed:\n${init.output}` };
  return terraform(cwd, ['test'], data);
}

/** Run async jobs at most `limit` at a time (terraform loads a large provider; two cores here). */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
