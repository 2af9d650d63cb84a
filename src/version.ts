import { readFileSync } from 'node:fs';

/**
 * The package's own package.json: beside src/ or dist/ (`../package.json` from src/version.ts or
 * dist/version.js), or two levels up from the build's bundle (dist/bundle/*.js, scripts/build.mjs).
 */
function packageJson(): { version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const data = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: unknown; version: string };
      if (data.name === 'devops-init') return data;
    } catch {
      /* not this one */
    }
  }
  throw new Error('devops-init cannot find its own package.json');
}

/** devops-init's own version, from package.json (read once, synchronously: it is tiny). */
export const VERSION: string = packageJson().version;

export function toolVersion(): string {
  return VERSION;
}
