// CPU time of parseSpec on one devops.yaml: the first call in a fresh process (what a command
// pays) and a warm call, medians over several processes. Compare builds by passing their dist/.
//
// Run: npm run build && node bench/parse-spec.mjs <devops.yaml> [dist dir] [processes]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, dist = fileURLToPath(new URL('../dist', import.meta.url)), runs = '9', child] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/parse-spec.mjs <devops.yaml> [dist dir] [processes]');
const cpuMs = (since) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (child) {
  const { parseSpec } = await import(pathToFileURL(resolve(dist, 'spec/load.js')).href);
  const text = readFileSync(file, 'utf8');
  let t = process.cpuUsage();
  parseSpec(text);
  const first = cpuMs(t);
  const warm = [];
  for (let i = 0; i < 15; i++) {
    t = process.cpuUsage();
    parseSpec(text);
    warm.push(cpuMs(t));
  }
  console.log(JSON.stringify({ first, warm: median(warm) }));
} else {
  const out = [];
  for (let i = 0; i < Number(runs); i++) out.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), file, dist, runs, 'child'], { encoding: 'utf8' })));
  const lines = readFileSync(file, 'utf8').split('\n').length;
  console.log(`${dist} on ${file} (${lines} lines): first parseSpec ${median(out.map((r) => r.first)).toFixed(1)} ms CPU, warm ${median(out.map((r) => r.warm)).toFixed(1)} ms CPU (medians of ${runs} processes)`);
}
