#!/usr/bin/env node
// Start-up fast path. `devops-init --version` and `devops-init --help` (as the whole command
// line) print text without loading the CLI: the version from package.json, the help as the
// build rendered it from the real commander program (dist/help.json, scripts/build.mjs), for
// the widths it was rendered at. Everything else (and any other terminal width) loads the CLI:
// dist/bundle/cli.js, the build's bundle of it, or dist/cli.js when there is none.
import { existsSync, readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const word = argv.length === 1 ? argv[0] : undefined;
let done = false;
if (word === '--version' || word === '-V') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  done = true;
} else if (word === '--help' || word === '-h') {
  let help;
  try {
    help = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8'));
  } catch {
    help = undefined; // not built with the fast path: commander prints the help
  }
  if (help) {
    // commander wraps help to the terminal's columns, or to 80 when stdout is no terminal.
    const width = process.stdout.isTTY ? process.stdout.columns || 80 : 80;
    const text = width === 80 ? help.narrow : width >= help.wideWidth ? help.wide : undefined;
    if (text !== undefined) {
      process.stdout.write(text);
      done = true;
    }
  }
}
if (!done) {
  // Node's on-disk compile cache (Node >= 22.1) makes every later start-up of the CLI cheaper.
  const { enableCompileCache } = await import('node:module');
  try {
    enableCompileCache?.();
  } catch {
    // a read-only cache folder only costs speed
  }
  // The build's bundle (scripts/build.mjs); the plain compiled modules when there is none.
  await import(existsSync(new URL('../dist/bundle/cli.js', import.meta.url)) ? '../dist/bundle/cli.js' : '../dist/cli.js');
}
