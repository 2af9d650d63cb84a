import type { Handbook } from '../types.js';

export const incidentHandbook: Handbook = {
  summary: 'Runbooks, on-call, blameless postmortems.',
  what:
    'Define severity levels; rotate on-call; write runbooks for known failure modes; run blameless postmortems within ' +
    '5 business days. devops-init seeds one runbook per generated alert (at the path its runbook_url names) with a ' +
    'managed index, writes the severity matrix, on-call page, incident-commander checklist and postmortem template, ' +
    'issue forms (GitHub) or issue templates (GitLab) for incidents and postmortems, a scheduled job that reminds ' +
    'incidents missing their postmortem, and a quarterly failover-drill issue built from this repository.',
  why:
    'Faster recovery and an organisational learning loop: the person paged at 3 a.m. finds what the alert means and ' +
    'what to do, and every incident makes the next one shorter.',
  pros: ['Faster recovery', 'Org learning loop'],
  cons: ['Cultural investment required'],
  bestFor: 'Any team running a 24/7 service.',
  notes: [
    'Common mistake: skipping postmortems because "we already fixed it". The scheduled reminder labels incidents closed without one.',
    'Tip: practice failover quarterly — untested DR is no DR. A drill issue opens at the start of each quarter.',
  ],
};
