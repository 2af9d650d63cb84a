type Obj = Record<string, unknown>;

/** One Kustomize resource file: its name in the folder and the objects it holds. */
export interface ManifestFile {
  file: string;
  objects: Obj[];
}

/**
 * kustomization.yaml for a platform component: its namespace, its resource files, and its
 * config file as a hashed ConfigMap (a config change rolls the pods).
 */
export function componentKustomization(o: { namespace: string; files: ManifestFile[]; configMap: string; configFile: string; partOf: string }): Obj {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: o.namespace,
    resources: o.files.map((f) => f.file),
    configMapGenerator: [{ name: o.configMap, files: [o.configFile] }],
    labels: [{ pairs: { 'app.kubernetes.io/part-of': o.partOf }, includeSelectors: false }],
  };
}
