import { normalizeSpec } from '../../src/spec/normalize.js';
import type { Spec } from '../../src/spec/types.js';

/**
 * Issue 13's scale spec: an `n`-service Go monorepo with every practice the benchmark turns on
 * (ci with cosign, gitops with previews and pull-request promotion, deploy, observability,
 * monitoring with two SLOs per service, logging). Services are `svc001`… at `services/svc-001`…
 * (zero-padded to the width of `n`). Shared by the budget test (test/engine/scale-budget.test.ts)
 * and the validators on the 300-service tree (test/validators/scale-300.test.ts).
 */
export function scaleSpec(n: number): Spec {
  const width = String(n).length;
  const services = Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(width, '0');
    return {
      name: `svc${id}`,
      path: `services/svc-${id}`,
      language: 'go',
      version: '1.23',
      packageManager: 'go',
      port: 8080,
      probes: { type: 'tcp' },
      commands: { install: 'go mod download', lint: 'go vet ./...', test: 'go test ./...', build: 'go build ./...' },
      slos: [
        { name: 'availability', kind: 'availability', objective: 99.9 },
        { name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 250 },
      ],
    };
  });
  return normalizeSpec({
    version: 1,
    project: { name: 'bench', repository: 'acme/bench', defaultBranch: 'main' },
    practices: ['ci', 'gitops', 'deploy', 'observability', 'monitoring', 'logging'],
    ci: { registry: 'ghcr', signing: 'cosign' },
    gitops: { dir: 'deploy', productionSync: 'automated', previews: true, promotion: 'pull-request' },
    monitoring: { slack: { defaultChannel: '#alerts' } },
    services,
  });
}
