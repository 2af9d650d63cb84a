// Runs devops-init on the example repository it ships (examples/shop): copies it to
// example-output/shop, makes it a git repository, runs `init --yes`, then `check`,
// and prints what was generated. Run: npm run example
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}example-output/shop`;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: out, stdio: 'inherit', ...opts });
const git = (...args) => run('git', ['-c', 'user.name=example', '-c', 'user.email=example@example.com', ...args], { stdio: 'pipe' });

rmSync(out, { recursive: true, force: true });
cpSync(`${root}examples/shop`, out, { recursive: true });
git('init', '-q', '-b', 'main');
git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
git('add', '-A');
git('commit', '-q', '-m', 'example services');

const cli = `${root}bin/devops-init.js`;
console.log(`\n$ devops-init init --yes    (in ${out})\n`);
run(process.execPath, [cli, 'init', '--yes']);
git('add', '-A');
git('commit', '-q', '-m', 'devops-init');
console.log('\n$ devops-init check\n');
run(process.execPath, [cli, 'check']);
console.log('\nGenerated files:');
const files = execFileSync('git', ['ls-files'], { cwd: out, encoding: 'utf8' }).split('\n').filter((f) => f && !f.startsWith('services/') && f !== 'README.md');
for (const f of files) console.log(`  ${f}`);
console.log(`\nBrowse them in ${out}; try editing devops.yaml there and running:\n  node ${cli} -C ${out} diff`);
