/** Argo CD helpers for tests: what the controllers would generate, without a cluster. */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The Applications the services' list-generator ApplicationSets generate: the template with each
 * element's `{{.key}}` filled in (what goTemplate with missingkey=error does for plain fields).
 */
export function generatedApplications(argocd: Obj[]): Obj[] {
  return argocd
    .filter((o) => o['kind'] === 'ApplicationSet' && o['spec']['generators'][0]['list'])
    .flatMap((set) =>
      (set['spec']['generators'][0]['list']['elements'] as Record<string, string>[]).map((el) => ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        ...(JSON.parse(
          JSON.stringify(set['spec']['template']).replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => {
            if (!(k in el)) throw new Error(`${set['metadata']['name']}: element ${JSON.stringify(el)} has no ${k}`);
            return el[k]!;
          }),
        ) as Obj),
        metadata: { namespace: set['metadata']['namespace'], ...(JSON.parse(JSON.stringify(set['spec']['template']['metadata']).replace(/\{\{\.(\w+)\}\}/g, (_, k: string) => el[k]!)) as Obj) },
      })),
    );
}

/** Every Application by name: the plain Application files and those the ApplicationSets generate. */
export function applicationsByName(argocd: Obj[]): Map<string, Obj> {
  const apps = [...argocd.filter((o) => o['kind'] === 'Application'), ...generatedApplications(argocd)];
  return new Map(apps.map((a) => [a['metadata']['name'] as string, a]));
}
