import type { InfraModel, InfraPipelineEnvironment, Pipeline } from '../../model/types.js';
import { DRIFT_ISSUE_TITLE, DRIFT_SCHEDULE } from './names.js';
import { identity } from './infra.js';

/** Each environment's root and the two roles its pipelines assume. */
function pipelineEnvironments(infra: InfraModel): InfraPipelineEnvironment[] {
  return infra.environments.map((e) => ({
    name: e.name,
    root: e.root,
    region: e.region,
    planRole: identity(infra, 'terraform-plan', e.name)!.arn,
    applyRole: identity(infra, 'terraform-apply', e.name)!.arn,
  }));
}

/** Plan on change requests, apply on merge, nightly drift: the CI provider's emitter renders them. */
export function infraPipelines(infra: InfraModel): Pipeline[] {
  const base = {
    owner: 'iac' as const,
    defaultBranch: infra.defaultBranch,
    tool: infra.tool,
    toolVersion: infra.toolVersion,
    dir: infra.dir,
    environments: pipelineEnvironments(infra),
    oidcAudience: infra.ciIssuer.audience,
  };
  return [
    { ...base, kind: 'infra-plan', id: 'infra-plan', scanSeverity: 'HIGH,CRITICAL' },
    { ...base, kind: 'infra-apply', id: 'infra-apply' },
    { ...base, kind: 'infra-drift', id: 'infra-drift', schedule: DRIFT_SCHEDULE, issueTitle: DRIFT_ISSUE_TITLE },
  ];
}
