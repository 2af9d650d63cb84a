/** A small, valid, hardened workflow the validator tests start from (and break on purpose). */
export const GOOD_WORKFLOW = `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Greet
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: |
          echo "title: \${TITLE}"
          printf '%s\\n' "done"
`;
