import { joinPath, NODE_LOCKFILES } from '../../model/service.js';
import type { ToolchainSetup } from '../../model/types.js';
import type { Cache } from './types.js';

/**
 * How a lint or test job gets its toolchain on GitLab: the language image (from the model),
 * the package manager's cache folder inside the project (GitLab only caches paths there), and
 * the cache key: the lockfile, so a dependency change starts a fresh cache.
 */
export interface CheckToolchain {
  image: string;
  variables: Record<string, string>;
  /** Undefined: nothing worth caching (Makefile or Dockerfile-only services). */
  cache?: Cache;
  /** Shell lines run before the install (tool set-up). */
  setup: string[];
}

const dir = (name: string): string => `.cache/${name}`;
const abs = (name: string): string => `$CI_PROJECT_DIR/${dir(name)}`;

export function checkToolchain(s: ToolchainSetup, service: string): CheckToolchain {
  const at = (f: string): string => joinPath(s.serviceDir, f);
  const cache = (paths: string[], files: string[]): Cache => ({ key: { files, prefix: service }, paths });
  const pm = s.packageManager;
  switch (pm) {
    case 'npm':
      return { image: s.image, variables: { npm_config_cache: abs('npm') }, cache: cache([dir('npm')], [joinPath(s.dependencyDir, NODE_LOCKFILES['npm']!)]), setup: [] };
    case 'pnpm':
      return {
        image: s.image,
        // corepack installs the pnpm version of package.json's "packageManager" field.
        variables: { COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', npm_config_store_dir: abs('pnpm-store') },
        cache: cache([dir('pnpm-store')], [joinPath(s.dependencyDir, NODE_LOCKFILES['pnpm']!)]),
        setup: ['corepack enable'],
      };
    case 'yarn':
      return {
        image: s.image,
        variables: { COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', YARN_CACHE_FOLDER: abs('yarn') },
        cache: cache([dir('yarn')], [joinPath(s.dependencyDir, NODE_LOCKFILES['yarn']!)]),
        setup: ['corepack enable'],
      };
    case 'bun':
      return { image: s.image, variables: { BUN_INSTALL_CACHE_DIR: abs('bun') }, cache: cache([dir('bun')], [at('bun.lock')]), setup: [] };
    case 'uv':
      return {
        image: s.image,
        variables: { UV_CACHE_DIR: abs('uv'), UV_VERSION: s.pythonTools.uv },
        cache: cache([dir('uv')], [at('uv.lock')]),
        setup: ['pip install --no-cache-dir "uv==$UV_VERSION"'],
      };
    case 'poetry':
      return {
        image: s.image,
        variables: { POETRY_CACHE_DIR: abs('poetry'), POETRY_VERSION: s.pythonTools.poetry },
        cache: cache([dir('poetry')], [at('poetry.lock')]),
        setup: ['pip install --no-cache-dir "poetry==$POETRY_VERSION"'],
      };
    case 'pip':
      return { image: s.image, variables: { PIP_CACHE_DIR: abs('pip') }, cache: cache([dir('pip')], [at('requirements.txt')]), setup: [] };
    case 'go':
      // go.sum hashes the dependencies; go.mod alone when the module has none.
      return { image: s.image, variables: { GOPATH: abs('go'), GOCACHE: abs('go-build') }, cache: cache([dir('go'), dir('go-build')], [at('go.mod'), at('go.sum')]), setup: [] };
    case 'maven':
      // The wrapper's Maven download and the local repository, both under MAVEN_USER_HOME.
      return { image: s.image, variables: { MAVEN_USER_HOME: abs('m2'), MAVEN_OPTS: `-Dmaven.repo.local=${abs('m2')}/repository` }, cache: cache([dir('m2')], [at('pom.xml')]), setup: [] };
    case 'gradle':
      return { image: s.image, variables: { GRADLE_USER_HOME: abs('gradle') }, cache: cache([dir('gradle')], [at('gradle/wrapper/gradle-wrapper.properties')]), setup: [] };
    case 'cargo':
      return { image: s.image, variables: { CARGO_HOME: abs('cargo') }, cache: cache([dir('cargo')], [at('Cargo.lock')]), setup: [] };
    case 'nuget':
      return { image: s.image, variables: { NUGET_PACKAGES: abs('nuget'), DOTNET_CLI_TELEMETRY_OPTOUT: '1' }, cache: cache([dir('nuget')], [at('packages.lock.json')]), setup: [] };
    case 'bundler':
      return { image: s.image, variables: { BUNDLE_PATH: abs('bundle') }, cache: cache([dir('bundle')], [at('Gemfile.lock')]), setup: [] };
    case 'composer':
      return { image: s.image, variables: { COMPOSER_CACHE_DIR: abs('composer') }, cache: cache([dir('composer')], [at('composer.lock')]), setup: [] };
    case 'mix':
      return {
        image: s.image,
        variables: { MIX_HOME: abs('mix'), HEX_HOME: abs('hex'), MIX_DEPS_PATH: abs('mix-deps') },
        cache: cache([dir('mix'), dir('hex'), dir('mix-deps')], [at('mix.lock')]),
        setup: ['mix local.hex --force', 'mix local.rebar --force'],
      };
    case 'make':
    case 'none':
      return { image: s.image, variables: {}, setup: [] };
  }
}
