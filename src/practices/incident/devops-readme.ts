import { pipelineFile } from '../../model/pipeline-files.js';
import type { Model } from '../../model/types.js';

/** A Mermaid label: double-quoted, with what would end it replaced. */
const label = (text: string) => `"${text.replace(/"/g, "'").replace(/[\[\]{}|]/g, ' ')}"`;

/**
 * The Mermaid flowchart of this repository's delivery path, from the model: source → CI →
 * registry → staging → production → users, with monitoring when it is on.
 */
export function pipelineFlowchart(model: Model): string {
  const spec = model.spec;
  const forge = model.source.provider === 'gitlab' ? 'GitLab' : 'GitHub';
  const ci = spec.ci.provider === 'gitlab' ? 'GitLab CI' : 'GitHub Actions';
  const hasCi = model.practices.includes('ci');
  const lines = ['flowchart LR'];
  lines.push(`  source[${label(`${forge}: ${spec.project.repository} (${spec.project.defaultBranch})`)}]`);
  lines.push(`  ci[${label(hasCi ? `${ci}: lint, test, build, scan` : `${ci} (not generated)`)}]`);
  lines.push(`  registry[${label(`Registry: ${model.registry?.host ?? spec.ci.registry}`)}]`);
  const ns = model.namespaces;
  lines.push(`  staging[${label(ns ? `Staging: ${ns.staging}` : 'Staging (not managed by devops-init)')}]`);
  lines.push(`  production[${label(ns ? `Production: ${ns.production}` : 'Production (not managed by devops-init)')}]`);
  lines.push(`  users[${label('Users')}]`);
  lines.push('  source -->|push| ci');
  lines.push('  ci -->|image| registry');
  lines.push(`  registry -->|${ns ? 'Argo CD syncs' : 'deploy'}| staging`);
  lines.push(`  staging -->|promote| production`);
  lines.push('  production --> users');
  if (model.practices.includes('monitoring')) {
    lines.push(`  monitoring[${label('Monitoring: Prometheus, Alertmanager, Grafana')}]`);
    lines.push('  production -.->|metrics| monitoring');
    if (model.practices.includes('incident')) {
      lines.push(`  oncall[${label('On-call: runbooks, incidents')}]`);
      lines.push('  monitoring -.->|page / ticket| oncall');
    }
  }
  return lines.join('\n');
}

/** Data of docs/devops/README.md, read at emit time (after every practice contributed). */
export function devopsReadmeData(model: Model): Record<string, unknown> {
  const spec = model.spec;
  const practices = (model.handbooks ?? []).map((h) => ({ id: h.id, title: h.title, summary: h.summary, why: h.why }));
  const services = spec.services.map((s) => ({
    name: s.name,
    path: s.path,
    language: s.language,
    port: s.port ?? '—',
    slos: s.slos.length ? s.slos.map((o) => `${o.name} ${o.objective}%${o.thresholdMs ? ` < ${o.thresholdMs} ms` : ''}`).join(', ') : '—',
    strategy: model.practices.includes('deploy') ? s.deploy.strategy : model.practices.includes('gitops') ? 'rolling' : '—',
  }));
  const places: { what: string; where: string }[] = [{ what: 'The spec (edit this, then `devops-init sync`)', where: 'devops.yaml' }];
  for (const p of model.pipelines) places.push({ what: `Pipeline: ${p.id}`, where: pipelineFile(spec.ci.provider, p.id) });
  if (model.workloads.length) places.push({ what: 'Kubernetes manifests (Kustomize bases and overlays)', where: `${spec.gitops.dir}/` });
  if (model.argocd) places.push({ what: 'Argo CD projects and applications', where: `${model.argocd.dir}/` });
  if (model.practices.includes('monitoring')) places.push({ what: 'SLO rules, tests, Alertmanager, dashboards', where: 'monitoring/' });
  if (model.practices.includes('iac')) places.push({ what: 'Infrastructure as code', where: 'infra/' });
  places.push({ what: 'Runbooks (one per alert)', where: 'docs/runbooks/' }, { what: 'Severities, on-call, postmortems', where: 'docs/incident/' });
  return { project: spec.project.name, flowchart: pipelineFlowchart(model), practices, services, places };
}
