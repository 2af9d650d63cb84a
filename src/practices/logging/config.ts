import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { NAME, URL } from '../../spec/patterns.js';
import type { SchemaNode } from '../../spec/validate-schema.js';

export interface LoggingConfig {
  lokiUrl: string;
  /** Namespace of the Fluent Bit DaemonSet; it reads host paths, so it needs the privileged Pod Security level. */
  namespace: string;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lokiUrl: { type: 'string', pattern: URL, description: 'Base URL of Loki (its gateway), e.g. http://loki-gateway.monitoring.svc.' },
    namespace: { type: 'string', pattern: NAME, description: 'Namespace of the Fluent Bit DaemonSet (needs the privileged Pod Security level: it reads host log files).' },
  },
} satisfies ObjectSchemaFor<LoggingConfig>;

export function loggingDefaults(): LoggingConfig {
  return { lokiUrl: 'http://loki-gateway.monitoring.svc', namespace: 'logging' };
}

export const loggingConfig: PracticeConfig = {
  practice: 'logging',
  requires: [],
  after: ['gitops', 'observability'],
  section: { key: 'logging', schema: schema as SchemaNode, defaults: loggingDefaults },
};
