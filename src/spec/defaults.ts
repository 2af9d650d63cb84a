import type { Language, PackageManager } from './types.js';

/**
 * Defaults of devops.yaml's own keys (project and each service's core fields). Each practice
 * keeps the defaults of its section and its service keys in src/practices/<id>/config.ts.
 */

/** The runtime a language's CI toolchain sets up when devops.yaml names none (a guess init reports). */
export const DEFAULT_VERSIONS: Record<Language, string> = {
  node: '22', python: '3.12', go: '1.23', java: '21', kotlin: '21', dotnet: '8.0', rust: '1', cpp: 'latest', php: '8.3', ruby: '3.3', elixir: '1.17', container: 'latest',
};
/** The port a language's usual web framework listens on (a guess when nothing in the repository says). */
export const DEFAULT_PORTS: Record<Language, number> = {
  node: 3000, python: 8000, go: 8080, java: 8080, kotlin: 8080, dotnet: 8080, rust: 8080, cpp: 8080, php: 8080, ruby: 3000, elixir: 4000, container: 8080,
};
export const DEFAULT_PACKAGE_MANAGERS: Record<Language, PackageManager> = {
  node: 'npm', python: 'pip', go: 'go', java: 'maven', kotlin: 'gradle', dotnet: 'nuget', rust: 'cargo', cpp: 'make', php: 'composer', ruby: 'bundler', elixir: 'mix', container: 'none',
};
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
    case 'cargo': return 'cargo fetch --locked';
    case 'nuget': return 'dotnet restore';
    case 'bundler': return 'bundle install';
    case 'composer': return 'composer install --no-interaction --prefer-dist';
    case 'mix': return 'mix deps.get';
    case 'make':
    case 'none': return '';
  }
}
