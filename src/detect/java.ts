/** Java services: Maven or Gradle, release from the build file, wrapper-aware commands. */
import type { PackageManager } from '../spec/types.js';
import { at, joinRel, type RepoFs } from './fsread.js';
import { javaRelease } from './versions.js';

/** Maven's own project block without parent, dependencies, build and profiles (whose ids are not ours). */
function pomOwn(pom: string): string {
  return pom
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(parent|dependencies|dependencyManagement|build|profiles|reporting|modules)>[\s\S]*?<\/\1>/g, '');
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml);
  return m?.[1] || undefined;
}

/** ${java.version} → the <properties> value, one level deep. */
function resolveProp(pom: string, value: string): string {
  const m = /^\$\{([^}]+)\}$/.exec(value);
  if (!m) return value;
  const props = /<properties>([\s\S]*?)<\/properties>/.exec(pom)?.[1] ?? '';
  return tag(props, m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) ?? value;
}

export function mavenFacts(pom: string): { artifactId?: string; release?: string; source?: string; modules: boolean } {
  const clean = pom.replace(/<!--[\s\S]*?-->/g, '');
  const own = pomOwn(clean);
  const props = /<properties>([\s\S]*?)<\/properties>/.exec(own)?.[1] ?? '';
  const plugin = /<artifactId>maven-compiler-plugin<\/artifactId>([\s\S]*?)<\/plugin>/.exec(clean)?.[1] ?? '';
  const candidates: [string, string | undefined][] = [
    ['<maven.compiler.release>', tag(props, 'maven\\.compiler\\.release')],
    ['<release> in maven-compiler-plugin', tag(plugin, 'release')],
    ['<java.version>', tag(props, 'java\\.version')],
    ['<maven.compiler.source>', tag(props, 'maven\\.compiler\\.source')],
    ['<source> in maven-compiler-plugin', tag(plugin, 'source')],
  ];
  const out: { artifactId?: string; release?: string; source?: string; modules: boolean } = {
    modules: /<modules>\s*<module>/.test(clean),
  };
  const artifactId = tag(own, 'artifactId');
  if (artifactId) out.artifactId = artifactId;
  for (const [source, raw] of candidates) {
    const release = raw ? javaRelease(resolveProp(clean, raw)) : undefined;
    if (release) {
      out.release = release;
      out.source = source;
      break;
    }
  }
  return out;
}

export function gradleRelease(build: string): { release?: string; source?: string } {
  const text = build.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const rules: [string, RegExp][] = [
    ['JavaLanguageVersion.of', /JavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)/],
    ['jvmToolchain', /jvmToolchain\(\s*(\d+)\s*\)/],
    ['JavaVersion.VERSION_', /(?:source|target)Compatibility\s*=\s*JavaVersion\.VERSION_(?:1_)?(\d+)/],
    ['sourceCompatibility', /sourceCompatibility\s*=\s*["']?(?:1\.)?(\d+)["']?/],
    ['options.release', /options\.release(?:\.set\(|\s*=\s*)\s*(\d+)/],
  ];
  for (const [source, re] of rules) {
    const m = re.exec(text);
    if (m) return { release: m[1]!, source };
  }
  return {};
}

export function probeJava(fs: RepoFs, dir: string, notes: string[]) {
  const reasons: string[] = [];
  const f = (n: string) => joinRel(dir, n);
  const wrapper = (script: string, tool: string): string => {
    if (!fs.has(dir, script)) {
      notes.push(`${at(dir)}no ${script} wrapper: CI needs ${tool} installed (committing the wrapper pins the version)`);
      return tool;
    }
    if (fs.isExecutable(f(script))) return `./${script}`;
    notes.push(`${f(script)} is not executable: commands use "sh ./${script}" (fix with git update-index --chmod=+x ${f(script)})`);
    return `sh ./${script}`;
  };
  let pm: PackageManager;
  let commands: { install: string; lint?: string; test?: string; build?: string };
  let version: string | undefined;
  let nameHint: string | undefined;

  if (fs.has(dir, 'pom.xml')) {
    pm = 'maven';
    const pom = fs.read(f('pom.xml')) ?? '';
    const facts = mavenFacts(pom);
    if (!/<project[\s>]/.test(pom)) notes.push(`${f('pom.xml')}: no <project> element; is it a Maven POM?`);
    const mvn = wrapper('mvnw', 'mvn');
    reasons.push(mvn === 'mvn' ? 'pom.xml without mvnw → mvn' : `pom.xml + mvnw → ${mvn}`);
    commands = {
      install: `${mvn} -B dependency:go-offline`,
      test: `${mvn} -B verify`,
      build: `${mvn} -B -DskipTests package`,
    };
    if (/spotless-maven-plugin/.test(pom)) commands.lint = `${mvn} -B spotless:check`;
    if (facts.release) {
      version = facts.release;
      reasons.push(`${facts.source} → Java ${version}`);
    }
    nameHint = facts.artifactId;
  } else {
    pm = 'gradle';
    const buildFile = fs.has(dir, 'build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
    const build = fs.read(f(buildFile)) ?? '';
    const gradle = wrapper('gradlew', 'gradle');
    reasons.push(gradle === 'gradle' ? `${buildFile} without gradlew → gradle` : `${buildFile} + gradlew → ${gradle}`);
    commands = { install: `${gradle} dependencies`, test: `${gradle} test`, build: `${gradle} build -x test` };
    if (/com\.diffplug\.spotless/.test(build)) commands.lint = `${gradle} spotlessCheck`;
    const r = gradleRelease(build);
    if (r.release) {
      version = r.release;
      reasons.push(`${buildFile} ${r.source} → Java ${version}`);
    }
    const settings = fs.read(f('settings.gradle.kts')) ?? fs.read(f('settings.gradle')) ?? '';
    nameHint = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings)?.[1];
  }
  if (!version) reasons.push('no Java release in the build file → version unknown');
  reasons.push(`commands: ${commands.test}, ${commands.build}`);
  return {
    ...(nameHint ? { nameHint } : {}),
    ...(version ? { version } : {}),
    packageManager: pm,
    commands,
    reasons,
  };
}

/** server.port from Spring Boot's application.properties / application.yml ("${PORT:8080}" → 8080). */
export function springPort(fs: RepoFs, dir: string): { port: number; source: string } | undefined {
  const base = joinRel(dir, 'src/main/resources');
  const props = fs.read(`${base}/application.properties`, 64 * 1024);
  if (props) {
    const m = /^\s*server\.port\s*[=:]\s*(?:\$\{[^:}]+:)?(\d+)/m.exec(props);
    if (m) return { port: Number(m[1]), source: `${base}/application.properties server.port` };
  }
  for (const name of ['application.yml', 'application.yaml']) {
    const yml = fs.read(`${base}/${name}`, 64 * 1024);
    if (!yml) continue;
    const flat = /^server\.port:\s*["']?(?:\$\{[^:}]+:)?(\d+)/m.exec(yml);
    // The first `port:` indented under a top-level `server:` block, before the next top-level key.
    const block = /^server:[ \t]*\r?\n((?:[ \t]+.*\r?\n?|[ \t]*\r?\n)*)/m.exec(yml)?.[1] ?? '';
    const childIndent = /^([ \t]+)\S/m.exec(block)?.[1];
    const nested = /^([ \t]+)port:\s*["']?(?:\$\{[^:}]+:)?(\d+)/m.exec(block);
    const port = flat?.[1] ?? (nested && nested[1] === childIndent ? nested[2] : undefined);
    if (port) return { port: Number(port), source: `${base}/${name} server.port` };
  }
  return undefined;
}
