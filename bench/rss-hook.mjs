// Loaded with `node --import` by bench/run.mjs: on exit, writes the process's peak resident set
// size (KiB, from process.resourceUsage().maxRSS) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
