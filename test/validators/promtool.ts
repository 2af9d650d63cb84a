import { spawn, spawnSync } from 'node:child_process';

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

/**
 * `testRules` without blocking: the promise settles when promtool exits, so a test can run it
 * beside other work (a second core) and await it later. Never rejects: a promtool that cannot
 * start is reported as code -1 with the error.
 */
export function testRulesInBackground(files: string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('promtool', ['test', 'rules', ...files], { cwd });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ code: -1, output: `${output}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
