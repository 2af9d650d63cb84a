import { execFileSync } from 'node:child_process';

/**
 * Where an external validator lives, or undefined. In CI (CI=true) a missing tool is a
 * failure, not a skip: callers use `requireTool` in a beforeAll.
 */
export function findTool(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when tests needing `name` should run; throws in CI when it is missing. */
export function haveTool(name: string): boolean {
  if (findTool(name)) return true;
  const msg = `${name} is not installed: run \`sudo bash scripts/install-validators.sh\``;
  if (process.env['CI']) throw new Error(msg);
  console.warn(`skipping: ${msg}`);
  return false;
}
