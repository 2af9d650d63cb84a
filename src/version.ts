import { readFileSync } from 'node:fs';

/** devops-init's own version, from package.json (read once, synchronously: it is tiny). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function toolVersion(): string {
  return VERSION;
}
