// Loaded with `node --import` by bench/run.mjs: on exit, writes the process's peak resident set
// size (KiB, process.resourceUsage().maxRSS) and its CPU time (user + system, µs, all threads) to the
// file named by BENCH_RSS_FILE. CPU time stays meaningful on a loaded machine, where wall time does not.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  const u = process.resourceUsage();
  if (file) writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime }));
});
