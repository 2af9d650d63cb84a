import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/detect/glob.js';
import { moduleBaseName, parseGoMod, parseGoWork } from '../../src/detect/go.js';
import { gradleRelease, mavenFacts } from '../../src/detect/java.js';
import { dedupeNames } from '../../src/detect/names.js';
import { dockerfileExpose, envPort } from '../../src/detect/ports.js';
import { parseToml, TomlError } from '../../src/detect/toml.js';
import { javaRelease, lowestNodeMajor, lowestPythonMinor, nodeVersionFile, pythonVersionFile } from '../../src/detect/versions.js';

describe('versions', () => {
  it.each([
    ['>=20.12', '20'],
    ['>=20.12.0', '20'],
    ['^18.17.0 || >=20', '18'],
    ['>= 22', '22'],
    ['20.x', '20'],
    ['~20.10', '20'],
    ['>16', '17'],
    ['>16.2', '16'],
    ['>=18 <21', '18'],
    ['18 - 20', '18'],
    ['v20', '20'],
  ])('engines.node %j → %s', (range, major) => {
    expect(lowestNodeMajor(range)).toBe(major);
  });

  it.each(['*', '', 'latest', '<20'])('engines.node %j → no version', (range) => {
    expect(lowestNodeMajor(range)).toBeUndefined();
  });

  it.each([
    ['22\n', '22'],
    ['v20.11.1\n', '20.11'],
    ['20.11', '20.11'],
    ['v18', '18'],
    ['lts/iron', '20'],
    ['# comment\n\n 22 \n', '22'],
  ])('.nvmrc %j → %s', (text, v) => {
    expect(nodeVersionFile(text)).toBe(v);
  });

  it.each(['node', 'lts/*', 'stable', ''])('.nvmrc %j names no version', (text) => {
    expect(nodeVersionFile(text)).toBeUndefined();
  });

  it.each([
    ['>=3.11', '3.11'],
    ['^3.11', '3.11'],
    ['>=3.10,<4', '3.10'],
    ['<4,>=3.9', '3.9'],
    ['~=3.12.1', '3.12'],
    ['==3.12.*', '3.12'],
    ['>=3.9,<3.13', '3.9'],
  ])('python spec %j → %s', (spec, v) => {
    expect(lowestPythonMinor(spec)).toBe(v);
  });

  it('python version files and java releases', () => {
    expect(pythonVersionFile('3.12.4\n')).toBe('3.12');
    expect(pythonVersionFile('pypy3.10\n')).toBe('3.10');
    expect(pythonVersionFile('system\n')).toBeUndefined();
    expect(javaRelease('1.8')).toBe('8');
    expect(javaRelease('21')).toBe('21');
  });
});

describe('toml reader', () => {
  it('reads strings, arrays over several lines with comments, inline tables, dotted and quoted keys', () => {
    const t = parseToml(`
# top comment
[project]
name = "billing" # trailing comment
requires-python = '>=3.12'
dependencies = [
  "fastapi>=0.115",  # web
  'uvicorn[standard]',
]
description = """
multi "quoted" line
"""
urls.homepage = "https://example.com"

[tool.poetry.dependencies]
python = "^3.11"
pytest = { version = "^8", optional = true }
"my.pkg" = "1.0"

[[tool.poetry.source]]
name = "internal"
`);
    expect(t.get('project')).toMatchObject({
      name: 'billing',
      'requires-python': '>=3.12',
      dependencies: ['fastapi>=0.115', 'uvicorn[standard]'],
      description: 'multi "quoted" line\n',
    });
    expect(t.get('project.urls')).toEqual({ homepage: 'https://example.com' });
    expect(t.get('tool.poetry.dependencies')).toEqual({
      python: '^3.11',
      pytest: { version: '^8', optional: true },
      'my.pkg': '1.0',
    });
    expect(t.get('tool.poetry.source')).toEqual({ name: 'internal' });
  });

  it.each([
    ['name = "x', /unterminated string/],
    ['deps = [\n "a",\n', /unterminated array/],
    ['[project\nname = "x"', /unterminated table header/],
    ['just some words', /expected '='/],
    ['a = "x" junk', /after value/],
    ['a = nonsense', /invalid value/],
  ])('malformed %j throws TomlError', (text, message) => {
    expect(() => parseToml(text)).toThrow(TomlError);
    expect(() => parseToml(text)).toThrow(message);
  });
});

describe('globs', () => {
  it.each([
    ['apps/*', 'apps/web', true],
    ['apps/*', 'apps/web/sub', false],
    ['packages/**', 'packages/a/b', true],
    ['packages/**', 'packages', false],
    ['**/svc', 'x/y/svc', true],
    ['**/svc', 'svc', true],
    ['tools/cli', 'tools/cli', true],
    ['{apps,services}/*', 'services/x', true],
    ['app?', 'app1', true],
    ['apps/*', 'apps.bak/x', false],
  ])('%s vs %s → %s', (glob, path, hit) => {
    expect(globToRegExp(glob).test(path)).toBe(hit);
  });
});

describe('go', () => {
  it('go.mod: module, go directive major.minor, toolchain ignored', () => {
    expect(parseGoMod('module github.com/acme/inventory\n\ngo 1.23.4\n\ntoolchain go1.24.0\n')).toEqual({
      module: 'github.com/acme/inventory',
      version: '1.23',
    });
    expect(moduleBaseName('github.com/acme/inventory/v2')).toBe('inventory');
    expect(moduleBaseName('example.com/tool')).toBe('tool');
  });

  it('go.work: single and block use directives, comments, no escaping', () => {
    expect(parseGoWork('go 1.23\n\nuse ./api\nuse (\n\t./svc/a // the A service\n\t"./svc/b"\n\t.\n\t../outside\n)\n')).toEqual([
      'api',
      'svc/a',
      'svc/b',
      '.',
    ]);
  });
});

describe('java', () => {
  it('maven: release from properties, compiler plugin, ${property}; parent artifactId ignored', () => {
    const pom = (body: string) => `<project><parent><artifactId>parent</artifactId></parent><artifactId>svc</artifactId>${body}</project>`;
    expect(mavenFacts(pom('<properties><maven.compiler.release>17</maven.compiler.release></properties>'))).toMatchObject({
      artifactId: 'svc',
      release: '17',
      source: '<maven.compiler.release>',
    });
    expect(
      mavenFacts(
        pom(
          '<properties><jdk>21</jdk></properties><build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><configuration><release>${jdk}</release></configuration></plugin></plugins></build>',
        ),
      ),
    ).toMatchObject({ release: '21', source: '<release> in maven-compiler-plugin' });
    expect(mavenFacts(pom('<properties><maven.compiler.source>1.8</maven.compiler.source></properties>')).release).toBe('8');
    expect(mavenFacts(pom('<!-- <java.version>11</java.version> -->')).release).toBeUndefined();
  });

  it.each([
    ['java { toolchain { languageVersion.set(JavaLanguageVersion.of(21)) } }', '21'],
    ['kotlin { jvmToolchain(17) }', '17'],
    ["sourceCompatibility = '11'", '11'],
    ['sourceCompatibility = JavaVersion.VERSION_17', '17'],
    ['sourceCompatibility = JavaVersion.VERSION_1_8', '8'],
    ['// JavaLanguageVersion.of(99)\nsourceCompatibility = 17', '17'],
  ])('gradle %j → %s', (build, v) => {
    expect(gradleRelease(build).release).toBe(v);
  });
});

describe('ports', () => {
  it('EXPOSE of the final stage, with protocol suffix; variables ignored', () => {
    expect(dockerfileExpose('FROM a AS build\nEXPOSE 9999\nFROM b\nEXPOSE 8080/tcp 9090\n')).toBe(8080);
    expect(dockerfileExpose('FROM a\nexpose 3000\nFROM b\nCMD x\n')).toBe(3000);
    expect(dockerfileExpose('FROM a\nEXPOSE ${PORT}\n')).toBeUndefined();
    expect(dockerfileExpose('FROM a\nEXPOSE 99999\n')).toBeUndefined();
  });

  it('PORT in env examples', () => {
    expect(envPort('# x\nexport PORT="4000" # web\n')).toBe(4000);
    expect(envPort('SERVER_PORT=1\nPORT=\n')).toBeUndefined();
  });
});

describe('names', () => {
  it('de-duplicates with the parent folder, then a number', () => {
    const items = [
      { name: 'api', path: 'services/billing/api' },
      { name: 'api', path: 'services/orders/api' },
      { name: 'web', path: 'apps/web' },
      { name: 'web', path: 'apps/web2' },
    ];
    dedupeNames(items);
    expect(items.map((i) => i.name)).toEqual(['api-billing', 'api-orders', 'web-apps', 'web-apps-2']);
  });
});
