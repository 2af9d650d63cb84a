// Benchmarks for the README (issue 13): start-up beside bare node, and init / check / sync on
// generated 50- and 300-service monorepos, all in one run so ratios compare like with like.
// Prints medians (and min), peak RSS, files touched by a one-service sync, and generated files
// and bytes per service.
//
// Run: npm run bench   (builds first)
//   RUNS=N      runs per measurement (default 11; init on 300 services uses max(3, RUNS/4))
//   QUICK=1     3 runs each, 50 and 300 services, init once (a smoke run of the bench itself)
//   SIZES=50,300  monorepo sizes
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/devops-init.js');
const HOOK = join(ROOT, 'bench/rss-hook.mjs');
const QUICK = process.env.QUICK === '1';
const RUNS = Number(process.env.RUNS ?? (QUICK ? 3 : 11));
const SIZES = (process.env.SIZES ?? '50,300').split(',').map(Number);
const env = { ...process.env, NO_COLOR: '1' };

function run(args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: opts.env ?? env, stdio: 'pipe', cwd: opts.cwd, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (opts.expect !== undefined && r.status !== opts.expect) {
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return ms;
}

/** Peak RSS and CPU time of one run of the CLI, through an exit hook (its wall time is not used). */
function peakRss(args, opts = {}) {
  const file = join(tmpdir(), `devops-init-bench-rss-${process.pid}`);
  run(['--import', HOOK, ...args], { ...opts, env: { ...env, BENCH_RSS_FILE: file } });
  const { maxRSS, cpu } = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  return { mb: maxRSS / 1024, cpuMs: cpu / 1000 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const results = [];
function record(name, xs, extra = '') {
  results.push({ name, median: median(xs), min: Math.min(...xs), runs: xs.length, extra });
}
function bench(name, fn, runs = RUNS, extra = '') {
  fn(); // warm the file-system cache
  record(name, Array.from({ length: runs }, fn), extra);
}

function git(cwd, ...args) {
  const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

const tmp = [];
/** A git repository with n Go services under services/ (every practice applies to Go). */
function monorepo(n) {
  const dir = mkdtempSync(join(tmpdir(), `devops-init-bench-${n}-`));
  tmp.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/bench.git');
  const width = String(n).length;
  for (let i = 1; i <= n; i++) {
    const d = join(dir, 'services', `svc-${String(i).padStart(width, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'go.mod'), `module github.com/acme/bench/svc${i}\n\ngo 1.23\n`);
    writeFileSync(join(d, 'main.go'), 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n');
  }
  return dir;
}

/** path → sha1 of every file outside .git and services/ (the generated tree, devops.yaml, the lock). */
function snapshot(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else out.set(relative(dir, p), createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}
function touched(before, after) {
  const changed = [];
  for (const [p, h] of after) if (before.get(p) !== h) changed.push(p);
  for (const p of before.keys()) if (!after.has(p)) changed.push(p);
  return changed.filter((p) => p !== 'devops.yaml').sort();
}
function generatedSize(dir) {
  let files = 0;
  let bytes = 0;
  const skip = new Set(['.git', 'go.mod', 'main.go']);
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (skip.has(e.name)) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else (files++, (bytes += statSync(p).size));
    }
  };
  walk(dir);
  return { files, bytes };
}

const facts = [];
try {
  bench('node -e 0 (bare node)', () => run(['-e', '0'], { expect: 0 }));
  bench('devops-init --help', () => run([BIN, '--help'], { expect: 0 }));
  bench('devops-init --version', () => run([BIN, '--version'], { expect: 0 }));

  for (const n of SIZES) {
    const initRuns = QUICK ? 1 : n >= 300 ? Math.max(3, Math.round(RUNS / 4)) : Math.max(3, Math.round(RUNS / 2));
    // init --yes: a fresh repository per run (the generation is not timed).
    const times = [];
    let mono;
    for (let i = 0; i < initRuns; i++) {
      if (mono) rmSync(mono, { recursive: true, force: true });
      mono = monorepo(n);
      times.push(run([BIN, 'init', '--yes', '-q'], { cwd: mono, expect: 0 }));
    }
    record(`init --yes (${n} services, all practices)`, times);
    const size = generatedSize(mono);
    const lock = statSync(join(mono, '.devops-init/lock.json')).size;
    facts.push(`${n} services: ${size.files} files, ${(size.bytes / 1e6).toFixed(2)} MB generated (incl. devops.yaml and the ${(lock / 1e3).toFixed(0)} KB lock) → ${(size.files / n).toFixed(1)} files and ${(size.bytes / n / 1e3).toFixed(1)} KB per service`);
    const rssInit = (() => {
      const d = monorepo(n);
      const r = peakRss([BIN, 'init', '--yes', '-q'], { cwd: d, expect: 0 });
      rmSync(d, { recursive: true, force: true });
      return r;
    })();
    git(mono, 'add', '-A');
    git(mono, 'commit', '-q', '-m', 'init');

    bench(`check (${n}; devops.yaml unchanged since sync)`, () => run([BIN, 'check', '-q'], { cwd: mono, expect: 0 }));
    bench(`check --strict (${n}; always renders)`, () => run([BIN, 'check', '-q', '--strict'], { cwd: mono, expect: 0 }));
    const spec = join(mono, 'devops.yaml');
    const original = readFileSync(spec, 'utf8');
    // A comment added to devops.yaml: check parses it, finds its data unchanged, renders nothing.
    writeFileSync(spec, original + '# touched\n');
    bench(`check (${n}; a comment added to devops.yaml)`, () => run([BIN, 'check', '-q'], { cwd: mono, expect: 0 }));
    // One service's port changed and not synced: check renders that service's files and the shared ones
    // (the other services' files keep the lock's hashes, src/tree/reuse.ts) and reports the drift.
    writeFileSync(spec, original.replace(/port: \d+/, 'port: 9999'));
    bench(`check (${n}; a port changed, drift)`, () => run([BIN, 'check', '-q'], { cwd: mono, expect: 1 }));
    const rssCheck = peakRss([BIN, 'check', '-q'], { cwd: mono, expect: 1 });
    writeFileSync(spec, original);
    const rssClean = peakRss([BIN, 'check', '-q'], { cwd: mono, expect: 0 });

    // sync after changing one service's port (alternating values, so every run changes something).
    let port = 8080;
    let last = [];
    const syncOnce = () => {
      port = port === 8081 ? 8082 : 8081;
      writeFileSync(spec, readFileSync(spec, 'utf8').replace(/port: \d+/, `port: ${port}`));
      const before = snapshot(mono);
      const ms = run([BIN, 'sync', '-q'], { cwd: mono, expect: 0 });
      last = touched(before, snapshot(mono));
      git(mono, 'add', '-A');
      git(mono, 'commit', '-q', '-m', `port ${port}`);
      return ms;
    };
    bench(`sync (${n}; one service's port changed)`, syncOnce, RUNS, '');
    results[results.length - 1].extra = `touched ${last.length} files`;
    port = port === 8081 ? 8082 : 8081;
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/port: \d+/, `port: ${port}`));
    git(mono, 'commit', '-q', '-am', `port ${port}`);
    const rssSync = peakRss([BIN, 'sync', '-q'], { cwd: mono, expect: 0 });
    facts.push(`${n} services: sync after one port change touched ${last.length} files: ${last.join(', ')}`);
    facts.push(`${n} services: peak RSS (CPU time, user + system) — init --yes ${rssInit.mb.toFixed(0)} MB (${rssInit.cpuMs.toFixed(0)} ms), check after a port change ${rssCheck.mb.toFixed(0)} MB (${rssCheck.cpuMs.toFixed(0)} ms), check unchanged ${rssClean.mb.toFixed(0)} MB (${rssClean.cpuMs.toFixed(0)} ms), sync one service ${rssSync.mb.toFixed(0)} MB (${rssSync.cpuMs.toFixed(0)} ms)`);
  }
} finally {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
}

const bare = results[0].median;
console.log(`devops-init benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${RUNS} runs (median / min, wall ms)\n`);
for (const r of results) {
  const ratio = r.name.startsWith('devops-init --') ? `(${(r.median / bare).toFixed(2)}× bare node)` : r.runs !== RUNS ? `(${r.runs} runs)` : '';
  console.log(`${r.name.padEnd(52)} ${r.median.toFixed(1).padStart(8)} ${r.min.toFixed(1).padStart(8)}  ${[ratio, r.extra].filter(Boolean).join(' ')}`);
}
console.log('');
for (const f of facts) console.log(f);
