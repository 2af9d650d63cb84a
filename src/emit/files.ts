import type { Emitter } from './types.js';

/** Files practices contribute as they are (seeded Dockerfiles, collector and log shipper configs…). */
export const filesEmitter: Emitter = {
  id: 'files',
  emit(model) {
    return model.files.map((f) => {
      const spec = {
        path: f.path,
        template: f.template,
        data: typeof f.data === 'function' ? f.data() : f.data,
        ownership: f.ownership,
        practice: f.owner,
      };
      const withCompanion = f.companionOf ? { ...spec, companionOf: f.companionOf } : spec;
      const out = f.executable ? { ...withCompanion, executable: true } : withCompanion;
      return f.required ? { ...out, required: true } : out;
    });
  },
};
