import type { Handbook } from '../types.js';

export const loggingHandbook: Handbook = {
  summary: 'Structured, indexed, sampled.',
  what:
    'Services write one JSON object per line to stdout; a log shipper (Fluent Bit here, Vector is the other common ' +
    'choice) adds Kubernetes metadata and sends it to Loki (or Elasticsearch). Every line carries request_id and ' +
    'trace_id, and user_id only ever as a hash. devops-init writes the Fluent Bit pipeline and DaemonSet, and a ' +
    'conventions page with a ready JSON logger for each service language.',
  why:
    'Free-text logs cannot be filtered or joined. With fixed field names you can ask "every error for this request" ' +
    'or jump from a trace to exactly its log lines, across every service.',
  pros: ['Searchable: filter by field, not by regex over prose', 'Joinable with traces through trace_id'],
  cons: ['Cost scales with volume: drop debug noise and sample chatty paths'],
  bestFor: 'All services.',
  notes: [
    'Ids (trace, request, user, pod) never become Loki labels: each value would start a new stream. They travel as structured metadata.',
    'Hash user ids before logging; a raw id or e-mail in logs is personal data you now have to protect and delete.',
  ],
};
