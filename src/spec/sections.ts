import { ciConfig } from '../practices/ci/config.js';
import { deployConfig } from '../practices/deploy/config.js';
import { gitopsConfig } from '../practices/gitops/config.js';
import { incidentConfig } from '../practices/incident/config.js';
import { iacConfig } from '../practices/iac/config.js';
import { loggingConfig } from '../practices/logging/config.js';
import { monitoringConfig } from '../practices/monitoring/config.js';
import { observabilityConfig } from '../practices/observability/config.js';
import type { PracticeConfig } from './config.js';

/**
 * The parts of devops.yaml the practices own, in the order devops.yaml and its schema list
 * them. Only these small modules are loaded to validate a spec: no practice's render code.
 */
export const PRACTICE_CONFIGS: readonly PracticeConfig[] = [ciConfig, gitopsConfig, deployConfig, iacConfig, observabilityConfig, monitoringConfig, loggingConfig, incidentConfig];
