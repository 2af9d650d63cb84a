import { loadSpec } from '../spec/load.js';
import { chalk, emitJson, say } from '../ui/output.js';
import { unifiedDiff } from '../ui/unified-diff.js';
import { repoRoot, type GlobalOptions } from './context.js';
import { planFor } from './sync.js';
import { withRepoLock } from './writer.js';

/** `devops-init diff [paths…]`: what sync would change, as a unified diff. Writes nothing. */
export async function runDiff(paths: string[], opts: GlobalOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'diff', true, async () => show(root, paths, opts));
}

async function show(root: string, paths: string[], opts: GlobalOptions): Promise<number> {
  const loaded = loadSpec(root);
  const plan = await planFor(root, loaded);
  const wanted = (p: string) => paths.length === 0 || paths.some((q) => p === q || p.startsWith(q.replace(/\/?$/, '/')));
  const changes = plan.changes.filter((c) => wanted(c.path) && ['create', 'update', 'merge', 'conflict', 'delete', 'edited'].includes(c.kind));
  const text = (b: string | Buffer | undefined) => (b === undefined ? '' : typeof b === 'string' ? b : b.toString('utf8'));
  const diffs = changes.map((c) => {
    // For hand-edited files with a current render, show the edits against the render.
    const after = c.kind === 'delete' ? '' : c.kind === 'edited' ? text(c.before) : text(c.content);
    const before = c.kind === 'create' ? '' : c.kind === 'edited' ? '' : text(c.before);
    return { path: c.path, action: c.kind, diff: c.kind === 'edited' ? '' : unifiedDiff(before, after, c.kind === 'create' ? '/dev/null' : `a/${c.path}`, c.kind === 'delete' ? '/dev/null' : `b/${c.path}`) };
  });
  if (opts.json) {
    emitJson({ schemaVersion: 1, command: 'diff', files: diffs });
    return 0;
  }
  if (!diffs.length) say('No differences: generated files match devops.yaml.');
  for (const d of diffs) {
    if (d.action === 'edited') {
      say(chalk.dim(`# ${d.path}: edited by hand; the render is current, so sync keeps it as is.`));
      continue;
    }
    say(chalk.bold(`# ${d.path} (${d.action})`));
    for (const line of d.diff.split('\n')) {
      say(line.startsWith('+') && !line.startsWith('+++') ? chalk.green(line) : line.startsWith('-') && !line.startsWith('---') ? chalk.red(line) : line.startsWith('@@') ? chalk.cyan(line) : line);
    }
  }
  return 0;
}
