import { describe, expect, it } from 'vitest';
import { markdownlintRecord } from './markdownlint.js';

describe('markdownlint-cli2 validator', () => {
  it('passes a clean file', () => {
    expect(markdownlintRecord({ 'docs/ok.md': '# Title\n\nSome text.\n\n## Section\n\n```sh\necho hi\n```\n' })).toEqual([]);
  });
  it('fails a broken file, naming file, line and rule', () => {
    const found = markdownlintRecord({ 'docs/bad.md': '# A\ntext   \n## B\n```\nx\n```\n\n\n' });
    expect(found.join('\n')).toMatch(/docs\/bad\.md:2(:\d+)? (error )?MD009/);
    expect(found.join('\n')).toContain('MD022');
    expect(found.join('\n')).toContain('MD031');
    expect(found.join('\n')).toContain('MD040');
    expect(found.join('\n')).toContain('MD012');
  });
});
