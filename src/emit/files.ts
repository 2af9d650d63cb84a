import type { Emitter, FileSpec } from './types.js';

/** Files practices contribute as they are (seeded Dockerfiles, collector and log shipper configs…). */
export const filesEmitter: Emitter = {
  id: 'files',
  emit(model) {
    return model.files.map((f) => {
      const data = f.data;
      // A thunk runs when the file renders (see objectsFile in emit/kustomize): its data dies young.
      const spec: FileSpec =
        typeof data === 'function'
          ? {
              path: f.path,
              template: f.template,
              get data() {
                return data();
              },
              ownership: f.ownership,
              practice: f.owner,
            }
          : { path: f.path, template: f.template, data, ownership: f.ownership, practice: f.owner };
      if (f.companionOf) spec.companionOf = f.companionOf;
      if (f.executable) spec.executable = true;
      if (f.required) spec.required = true;
      if (f.service !== undefined) spec.service = f.service;
      if (f.alsoReads?.length) spec.alsoReads = [...f.alsoReads];
      return spec;
    });
  },
};
