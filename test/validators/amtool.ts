import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ToolResult } from './promtool.js';

function amtool(args: string[]): ToolResult {
  const r = spawnSync('amtool', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

let cachedVersion: [number, number] | undefined;

/** The installed amtool's version (major, minor), e.g. [0, 25] for Debian 12's. */
export function amtoolVersion(): [number, number] {
  if (!cachedVersion) {
    const m = /version (\d+)\.(\d+)/.exec(amtool(['--version']).output);
    if (!m) throw new Error('cannot read amtool --version');
    cachedVersion = [Number(m[1]), Number(m[2])];
  }
  return cachedVersion;
}

/** Alertmanager 0.26 added `url_file` to webhook_configs (prometheus/alertmanager#3223). */
export function knowsWebhookUrlFile(): boolean {
  const [major, minor] = amtoolVersion();
  return major > 0 || minor >= 26;
}

/**
 * The file amtool can read. Debian 12's amtool (0.25) predates `url_file` in webhook_configs and
 * rejects the whole config for it, although the Alertmanager that runs it (0.28 in the pinned
 * kube-prometheus-stack, and the CI job's prom/alertmanager image) accepts it. For such an old
 * amtool only, each `url_file: <path>` is checked as `url: <a placeholder URL>`: every other line
 * is validated as written, and an amtool that knows url_file checks the real file.
 */
function readable(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (knowsWebhookUrlFile() || !/^\s*(- )?url_file:/m.test(text)) return file;
  const copy = join(mkdtempSync(join(tmpdir(), 'amtool-compat-')), basename(file));
  writeFileSync(copy, text.replace(/^(\s*(?:- )?)url_file: .*$/gm, '$1url: https://heartbeat.invalid/url-file-placeholder'));
  return copy;
}

/** `amtool check-config FILE`: the whole config parses and validates (routes, receivers, inhibit rules). */
export function checkConfig(file: string): ToolResult {
  return amtool(['check-config', readable(file)]);
}

/**
 * `amtool config routes test --verify.receivers=RECEIVER k=v…`: exit 0 only when an alert with
 * these labels is routed to exactly that receiver.
 */
export function routeTest(file: string, receiver: string, labels: Record<string, string>): ToolResult {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return amtool(['config', 'routes', 'test', `--config.file=${readable(file)}`, `--verify.receivers=${receiver}`, ...pairs]);
}

/** amtool as installed, on the file as written (no compatibility substitution). */
export function checkConfigAsWritten(file: string): ToolResult {
  return amtool(['check-config', file]);
}
