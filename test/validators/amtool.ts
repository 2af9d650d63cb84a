import { spawnSync } from 'node:child_process';
import type { ToolResult } from './promtool.js';

function amtool(args: string[]): ToolResult {
  const r = spawnSync('amtool', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** `amtool check-config FILE`: the whole config parses and validates (routes, receivers, inhibit rules). */
export function checkConfig(file: string): ToolResult {
  return amtool(['check-config', file]);
}

/**
 * `amtool config routes test --verify.receivers=RECEIVER k=v…`: exit 0 only when an alert with
 * these labels is routed to exactly that receiver.
 */
export function routeTest(file: string, receiver: string, labels: Record<string, string>): ToolResult {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return amtool(['config', 'routes', 'test', `--config.file=${file}`, `--verify.receivers=${receiver}`, ...pairs]);
}
