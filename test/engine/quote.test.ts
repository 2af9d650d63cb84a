import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hclString, shellWord, yamlComment, yamlScalar } from '../../src/render/quote.js';

const HOSTILE = [
  'plain',
  "it's",
  'double "quoted"',
  'line\nbreak',
  '${{ github.event.issue.title }}',
  '$(rm -rf /)',
  '`id`',
  '#comment',
  ': colon',
  '- dash',
  '*alias',
  '&anchor',
  '!tag',
  'yes',
  'null',
  '0x10',
  '%{ for x in y }',
  '${var.x}',
  '\\backslash',
  'tab\there',
  'unicode ✓ \u2028',
];

describe('quoting helpers keep hostile values as data', () => {
  it.each(HOSTILE)('YAML round-trips %j', (v) => {
    expect(parse(`k: ${yamlScalar(v)}`)).toEqual({ k: v });
  });

  it.each(HOSTILE)('shell round-trips %j', (v) => {
    const out = execFileSync('bash', ['-c', `printf %s ${shellWord(v)}`], { encoding: 'utf8' });
    expect(out).toBe(v);
  });

  it('HCL escapes interpolation and directives', () => {
    expect(hclString('${var.x}')).toBe('"$${var.x}"');
    expect(hclString('%{ if x }')).toBe('"%%{ if x }"');
    expect(hclString('a"b\n')).toBe('"a\\"b\\n"');
  });
});

describe('yamlComment', () => {
  it.each([...HOSTILE, 'a\r\nb\rc', 'nul\u0000 bell\u0007 c1\u0090 lone\ud800 ok\ud83d\ude00', '', '\n\n'])('%j is comment lines only: a document of it is empty', (text) => {
    const out = yamlComment(text);
    expect(out.split('\n').every((l) => l === '#' || l.startsWith('# '))).toBe(true);
    expect(parse(`${out}\nkey: 1\n`)).toEqual({ key: 1 });
  });
  it('keeps printable text as it is', () => {
    expect(yamlComment('Owned by devops-init: {{x}} ✓')).toBe('# Owned by devops-init: {{x}} ✓');
    expect(yamlComment('two\nlines')).toBe('# two\n# lines');
  });
});
