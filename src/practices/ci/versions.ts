import type { SeededLanguage } from '../../spec/types.js';

/**
 * Versions the seeded Dockerfiles and the security workflow pin. Each was seen published
 * (image tag or registry release) when this table was written; Dependabot's `docker`
 * entry bumps the base images afterwards. Update a row by replacing the whole version.
 */

/** Full base-image versions for the runtime majors/minors a spec usually names. */
const BASE_IMAGE_VERSIONS: Record<SeededLanguage, Record<string, string>> = {
  node: { '22': '22.23.2', '24': '24.18.0' },
  python: { '3.12': '3.12.13', '3.13': '3.13.14' },
  go: { '1.23': '1.23.10', '1.24': '1.24.13', '1.25': '1.25.12' },
  // Temurin tags carry the build number: <version>_<build>.
  java: { '17': '17.0.19_10', '21': '21.0.12_8' },
};

/** A version is "full" when it names a patch release (and, for Temurin, the build). */
const FULL_VERSION: Record<SeededLanguage, RegExp> = {
  node: /^\d+\.\d+\.\d+$/,
  python: /^\d+\.\d+\.\d+$/,
  go: /^\d+\.\d+\.\d+$/,
  java: /^\d+\.\d+\.\d+_\d+$/,
};

export interface BaseImageVersion {
  /** The tag prefix to use, e.g. "22.23.2". */
  version: string;
  /** True when we could not resolve a full version: the Dockerfile says to pin it. */
  floating: boolean;
}

/**
 * The base-image version for a service: the spec's own when it is already a full
 * version, the table's when it knows the major/minor, else the spec's as given
 * (a floating tag the seeded Dockerfile flags with a comment).
 */
export function baseImageVersion(language: SeededLanguage, version: string): BaseImageVersion {
  if (FULL_VERSION[language].test(version)) return { version, floating: false };
  const known = BASE_IMAGE_VERSIONS[language][version];
  return known ? { version: known, floating: false } : { version, floating: true };
}

/** Maven in the build image of Maven projects without a wrapper (`maven:<v>-eclipse-temurin-<jdk major>`). */
export const MAVEN_VERSION = '3.9.9';
/** Gradle in the build image of Gradle projects without a wrapper (`gradle:<v>-jdk<major>`). */
export const GRADLE_VERSION = '8.10.2';
/** Bun runtime (image `oven/bun:<v>-alpine`, and setup-bun in CI so both match). */
export const BUN_VERSION = '1.3.14';
/** uv binary copied from `ghcr.io/astral-sh/uv:<v>` into Python build stages. */
export const UV_VERSION = '0.13.8';
/** Poetry installed in the Python build stage. */
export const POETRY_VERSION = '2.5.1';
/** gitleaks container image tag run by security.yml (MIT CLI; `gitleaks git` needs ≥ 8.19). */
export const GITLEAKS_IMAGE = 'ghcr.io/gitleaks/gitleaks:v8.28.0';
/** OpenTelemetry zero-code instrumentation, per runtime. */
export const OTEL = {
  javaAgent: '2.31.0',
  nodeApi: '1.10.0',
  nodeAutoInstrumentations: '0.82.0',
  pythonDistro: '0.66b1',
} as const;
