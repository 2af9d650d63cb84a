import type { Language, PackageManager } from './types.js';

/**
 * Defaults of devops.yaml's own keys (project and each service's core fields). Each practice
 * keeps the defaults of its section and its service keys in src/practices/<id>/config.ts.
 */

export const DEFAULT_VERSIONS: Record<Language, string> = { node: '22', python: '3.12', go: '1.23', java: '21' };
export const DEFAULT_PORTS: Record<Language, number> = { node: 3000, python: 8000, go: 8080, java: 8080 };
export const DEFAULT_PACKAGE_MANAGERS: Record<Language, PackageManager> = { node: 'npm', python: 'pip', go: 'go', java: 'maven' };
export const DEFAULT_HEALTH_PATH = '/healthz';

export function defaultInstall(pm: PackageManager): string {
  switch (pm) {
    case 'npm': return 'npm ci';
    case 'pnpm': return 'pnpm install --frozen-lockfile';
    case 'yarn': return 'yarn install --immutable';
    case 'bun': return 'bun install --frozen-lockfile';
    case 'uv': return 'uv sync --locked';
    case 'poetry': return 'poetry install --no-interaction';
    case 'pip': return 'pip install -r requirements.txt';
    case 'go': return 'go mod download';
    case 'maven': return './mvnw -B -q dependency:go-offline';
    case 'gradle': return './gradlew --no-daemon dependencies';
  }
}
