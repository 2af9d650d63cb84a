/**
 * Languages devops-init deploys only as containers (their own Dockerfile): C#/.NET, Rust,
 * Elixir, Ruby, PHP, C++ and Kotlin. Which manifest says so, and the test/lint commands their
 * manifests make certain. Nothing here is guessed: no manifest, no command.
 */
import { joinRel, type RepoFs } from './fsread.js';
import type { DetectedLanguage, Fact } from './types.js';

export interface OtherLanguage {
  language: DetectedLanguage;
  manifest: string;
  buildTool: string;
}

/** Kotlin when the Gradle build applies the Kotlin plugin and sources live in src/main/kotlin. */
export function isKotlin(fs: RepoFs, dir: string): string | undefined {
  for (const f of ['build.gradle.kts', 'build.gradle']) {
    const text = fs.read(joinRel(dir, f), 64 * 1024);
    if (!text) continue;
    const m = /kotlin\(\s*["']jvm["']\s*\)|org\.jetbrains\.kotlin(?:\.jvm|:kotlin-gradle-plugin)|id\s*\(?\s*["']org\.jetbrains\.kotlin/.exec(text);
    if (m && (fs.isDir(joinRel(dir, 'src/main/kotlin')) || !fs.isDir(joinRel(dir, 'src/main/java')))) return `${joinRel(dir, f)} \`${m[0]}\``;
  }
  return undefined;
}

export function otherLanguage(fs: RepoFs, dir: string): OtherLanguage | undefined {
  const files = fs.list(dir)?.files ?? new Set<string>();
  const dotnet = [...files].find((f) => /\.(csproj|fsproj|sln|slnx)$/.test(f));
  if (dotnet) return { language: 'dotnet', manifest: dotnet, buildTool: 'dotnet' };
  if (files.has('Cargo.toml')) return { language: 'rust', manifest: 'Cargo.toml', buildTool: 'cargo' };
  if (files.has('mix.exs')) return { language: 'elixir', manifest: 'mix.exs', buildTool: 'mix' };
  if (files.has('Gemfile')) return { language: 'ruby', manifest: 'Gemfile', buildTool: 'bundler' };
  if (files.has('composer.json')) return { language: 'php', manifest: 'composer.json', buildTool: 'composer' };
  if (files.has('CMakeLists.txt')) return { language: 'cpp', manifest: 'CMakeLists.txt', buildTool: 'cmake' };
  const k = isKotlin(fs, dir);
  if (k) return { language: 'kotlin', manifest: fs.has(dir, 'build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle', buildTool: 'gradle' };
  return undefined;
}

/** Make targets (`test:`, `lint:`) a Makefile declares. */
export function makeTargets(text: string): Set<string> {
  return new Set([...text.matchAll(/^([A-Za-z][\w.-]*)\s*:(?!=)/gm)].map((m) => m[1]!));
}

function fact(value: string, source: string): Fact<string> {
  return { value, source, guess: false };
}

/** Commands for a container-only language, each with the file that makes it certain. */
export function otherCommands(fs: RepoFs, dir: string, lang: OtherLanguage): { test?: Fact<string>; lint?: Fact<string>; build?: Fact<string> } {
  const f = (n: string) => joinRel(dir, n);
  const out: { test?: Fact<string>; lint?: Fact<string>; build?: Fact<string> } = {};
  const make = fs.read(f('Makefile'), 64 * 1024);
  const targets = make ? makeTargets(make) : new Set<string>();
  switch (lang.language) {
    case 'rust':
      out.test = fact('cargo test', `${f('Cargo.toml')} (cargo's test runner)`);
      out.build = fact('cargo build --release', f('Cargo.toml'));
      if (fs.has(dir, 'rustfmt.toml') || fs.has(dir, '.rustfmt.toml')) out.lint = fact('cargo fmt --check', f(fs.has(dir, 'rustfmt.toml') ? 'rustfmt.toml' : '.rustfmt.toml'));
      break;
    case 'dotnet': {
      out.build = fact('dotnet build', f(lang.manifest));
      const testProj = findTestProject(fs, dir);
      if (testProj) out.test = fact('dotnet test', `${testProj} (a test project)`);
      break;
    }
    case 'elixir':
      if (fs.isDir(f('test'))) out.test = fact('mix test', `${f('mix.exs')} + ${f('test')}/`);
      if (fs.has(dir, '.formatter.exs')) out.lint = fact('mix format --check-formatted', f('.formatter.exs'));
      break;
    case 'ruby': {
      const gemfile = fs.read(f('Gemfile'), 64 * 1024) ?? '';
      if (/^\s*gem\s+["']rspec(-rails)?["']/m.test(gemfile) && fs.isDir(f('spec'))) out.test = fact('bundle exec rspec', `${f('Gemfile')} gem rspec + ${f('spec')}/`);
      else if (/^\s*gem\s+["']rails["']/m.test(gemfile) && fs.isDir(f('test'))) out.test = fact('bin/rails test', `${f('Gemfile')} gem rails + ${f('test')}/`);
      if (/^\s*gem\s+["']rubocop/m.test(gemfile)) out.lint = fact('bundle exec rubocop', `${f('Gemfile')} gem rubocop`);
      break;
    }
    case 'php': {
      const composer = fs.read(f('composer.json'), 64 * 1024) ?? '';
      if (/"scripts"\s*:\s*\{[^}]*"test"\s*:/.test(composer)) out.test = fact('composer test', `${f('composer.json')} scripts.test`);
      else if (fs.has(dir, 'phpunit.xml') || fs.has(dir, 'phpunit.xml.dist')) out.test = fact('vendor/bin/phpunit', f(fs.has(dir, 'phpunit.xml') ? 'phpunit.xml' : 'phpunit.xml.dist'));
      break;
    }
    case 'kotlin': {
      const gradle = fs.has(dir, 'gradlew') ? './gradlew' : 'gradle';
      out.test = fact(`${gradle} test`, f(lang.manifest));
      out.build = fact(`${gradle} build -x test`, f(lang.manifest));
      break;
    }
    default:
      break;
  }
  if (!out.test && targets.has('test')) out.test = fact('make test', `${f('Makefile')} target test`);
  if (!out.lint && targets.has('lint')) out.lint = fact('make lint', `${f('Makefile')} target lint`);
  return out;
}

function findTestProject(fs: RepoFs, dir: string): string | undefined {
  const search = [dir, ...fs.walk(dir, Math.min((dir === '.' ? 0 : dir.split('/').length) + 3, 6))];
  for (const d of search) {
    for (const file of fs.list(d)?.files ?? []) {
      if (/\.(csproj|fsproj)$/.test(file) && /test/i.test(`${d}/${file}`)) return joinRel(d, file);
    }
  }
  // A sibling tests/ folder (src/cart/src + src/cart/tests).
  const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '.';
  for (const d of ['tests', 'test']) {
    const p = joinRel(parent, d);
    for (const file of fs.list(p)?.files ?? []) if (/\.(csproj|fsproj)$/.test(file)) return joinRel(p, file);
  }
  return undefined;
}
