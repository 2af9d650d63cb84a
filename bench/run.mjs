// Benchmarks for the README: start-up (`--help` vs bare node), `init --yes` on one
// service, and `check` on a generated 50-service monorepo. Prints medians.
// Run: npm run bench   (builds first). Options: RUNS=N (default 15).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/devops-init.js');
const RUNS = Number(process.env.RUNS ?? 15);
const env = { ...process.env, NO_COLOR: '1' };

function time(args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: 'pipe', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (opts.expect !== undefined && r.status !== opts.expect) {
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function bench(name, fn, runs = RUNS) {
  fn(); // warm the file-system cache
  const xs = Array.from({ length: runs }, fn);
  return { name, median: median(xs), min: Math.min(...xs), runs };
}

function git(cwd, ...args) {
  const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

function repo(name) {
  const dir = mkdtempSync(join(tmpdir(), `devops-init-bench-${name}-`));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/bench.git');
  return dir;
}

const results = [];
const tmp = [];
try {
  results.push(bench('node -e 0 (bare node)', () => time(['-e', '0'], { expect: 0 })));
  results.push(bench('devops-init --help', () => time([BIN, '--help'], { expect: 0 })));
  results.push(bench('devops-init --version', () => time([BIN, '--version'], { expect: 0 })));

  // init --yes on one Node service: a fresh copy per run.
  const fixture = join(ROOT, 'test/fixtures/node-npm');
  results.push(
    bench('init --yes (one Node service, ci only)', () => {
      const dir = repo('init');
      tmp.push(dir);
      cpSync(fixture, dir, { recursive: true });
      return time([BIN, 'init', '--yes', '--practices', 'ci', '-q'], { cwd: dir, expect: 0 });
    }, Math.min(RUNS, 10)),
  );
  results.push(
    bench('init --yes (one Node service, all practices)', () => {
      const dir = repo('init-all');
      tmp.push(dir);
      cpSync(fixture, dir, { recursive: true });
      return time([BIN, 'init', '--yes', '-q'], { cwd: dir, expect: 0 });
    }, Math.min(RUNS, 10)),
  );

  // A 50-service monorepo: Go services under services/, every practice enabled.
  const mono = repo('mono50');
  tmp.push(mono);
  for (let i = 1; i <= 50; i++) {
    const d = join(mono, 'services', `svc-${String(i).padStart(2, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'go.mod'), `module github.com/acme/bench/svc${i}\n\ngo 1.23\n`);
    writeFileSync(join(d, 'main.go'), 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n');
  }
  const t0 = time([BIN, 'init', '--yes', '-q'], { cwd: mono, expect: 0 });
  results.push({ name: 'init --yes (50-service monorepo, all practices, once)', median: t0, min: t0, runs: 1 });
  results.push(bench('check (50 services; devops.yaml unchanged since sync)', () => time([BIN, 'check', '-q'], { cwd: mono, expect: 0 })));
  results.push(bench('check --strict (50 services; always renders ~5 MB)', () => time([BIN, 'check', '-q', '--strict'], { cwd: mono, expect: 0 })));
  // devops.yaml edited (a comment is enough): check must render everything again.
  const spec = join(mono, 'devops.yaml');
  writeFileSync(spec, readFileSync(spec, 'utf8') + '# touched\n');
  results.push(bench('check (50 services; devops.yaml changed → full render)', () => time([BIN, 'check', '-q'], { cwd: mono, expect: 0 })));
} finally {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
}

const bare = results[0].median;
console.log(`devops-init benchmarks — node ${process.version}, ${RUNS} runs each (median / min, ms)\n`);
for (const r of results) {
  const ratio = r.name.startsWith('devops-init --') ? `  (${(r.median / bare).toFixed(2)}× bare node)` : '';
  console.log(`${r.name.padEnd(58)} ${r.median.toFixed(1).padStart(8)} ${r.min.toFixed(1).padStart(8)}${ratio}`);
}
