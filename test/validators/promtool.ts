import { spawnSync } from 'node:child_process';

/** What promtool said: exit code and its combined output. */
export interface ToolResult {
  code: number;
  output: string;
}

function promtool(args: string[], cwd?: string): ToolResult {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/**
 * `promtool check rules --lint=all --lint-fatal FILES`: syntax, PromQL, templates and duplicate
 * rules. Exit 0 = valid; 1 = invalid; 3 = lint findings.
 */
export function checkRules(files: string[], cwd?: string): ToolResult {
  return promtool(['check', 'rules', '--lint=all', '--lint-fatal', ...files], cwd);
}

/** `promtool test rules FILES`: run unit tests (rule_files resolve relative to each test file). */
export function testRules(files: string[], cwd?: string): ToolResult {
  return promtool(['test', 'rules', ...files], cwd);
}
