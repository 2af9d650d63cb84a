import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/ui/unified-diff.js';

describe('unified diff', () => {
  it('produces a patch that git applies to get the new text', () => {
    const a = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = a.replace('line 3\n', 'line three\n').replace('line 30\n', '').replace('line 39\n', 'line 39\nline 40\n');
    const dir = mkdtempSync(join(tmpdir(), 'diff-'));
    writeFileSync(join(dir, 'f.txt'), a);
    writeFileSync(join(dir, 'p.diff'), unifiedDiff(a, b, 'a/f.txt', 'b/f.txt'));
    execFileSync('git', ['apply', '--unsafe-paths', '-p1', '--directory=.', 'p.diff'], { cwd: dir });
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe(b);
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
  });
});
