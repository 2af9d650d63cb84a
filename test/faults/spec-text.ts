/** A small valid devops.yaml for in-process spec tests; `extra` is spliced in at the top level. */
export function specText(opts: { ci?: string; services?: string; top?: string; gitops?: string; practices?: string } = {}): string {
  return [
    'version: 1',
    'project:',
    '  name: shop',
    '  repository: acme/shop',
    `practices: ${opts.practices ?? '[ci]'}`,
    ...(opts.ci ? ['ci:', opts.ci] : []),
    ...(opts.gitops ? ['gitops:', opts.gitops] : []),
    ...(opts.top ? [opts.top] : []),
    'services:',
    opts.services ?? ['  - name: api', '    path: services/api', '    language: node'].join('\n'),
    '',
  ].join('\n');
}
