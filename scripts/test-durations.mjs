#!/usr/bin/env node
// Write test/durations.json, the order the test sequencer runs files in (longest first), from a
// Vitest JSON report: `npx vitest run --reporter=json --outputFile=report.json`, then
// `node scripts/test-durations.mjs report.json`.
// Refresh it when files are added or their cost changes much; only the order depends on it.
// Keys are file paths relative to the repository (a file belongs to one project), values seconds.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const out = {};
for (const r of report.testResults) {
  const file = relative(root, r.name);
  out[file] = Math.round((r.endTime - r.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
writeFileSync(join(root, 'test/durations.json'), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files, ${Math.round(Object.values(sorted).reduce((a, b) => a + b, 0))} s in all`);
