import type { Handbook } from '../types.js';

export const gitopsHandbook: Handbook = {
  summary: 'Git holds the desired state of the cluster; Argo CD makes the cluster match it.',
  what:
    'Every environment is described by files in the repository: a Kustomize base per service with one overlay per ' +
    'environment, and Argo CD Applications that watch those folders and reconcile the cluster to them. A deploy is a ' +
    'commit that changes an image digest; a rollback is `git revert` of that commit. We generate the bases and ' +
    'overlays, an AppProject that fences the apps in, an app-of-apps to bootstrap it all, a promotion workflow that ' +
    'moves a tested digest from staging to production through a reviewed pull request, and optional preview ' +
    'environments for pull requests.',
  why:
    'The history of the cluster becomes the history of the repository: who changed what, when, and who approved it. ' +
    'Drift is corrected automatically instead of piling up, and rolling back is the same operation as any other change.',
  pros: ['Every change is auditable and reviewed', 'Rollback is a git revert', 'The cluster heals itself back to Git'],
  cons: [
    'Needs Git discipline: a kubectl hot-fix is undone at the next sync',
    'One more system (Argo CD) to run and secure',
  ],
  bestFor: 'Production Kubernetes. Even a small project outgrows `kubectl apply` quickly; a tiny Argo CD pays off.',
  notes: [
    'Promotion: CI opens a pull request pinning each new image by digest in the staging overlay; `promote` opens one copying that digest into production. Merging each deploys.',
    'Never deploy `latest`: overlays pin digests (or immutable tags for previews), so what runs is exactly what was tested.',
  ],
};
