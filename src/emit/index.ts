import type { Model } from '../model/types.js';
import { argocdEmitter } from './argocd/index.js';
import { filesEmitter } from './files.js';
import { githubActionsEmitter } from './github-actions/index.js';
import { gitlabCiEmitter } from './gitlab-ci/index.js';
import { kustomizeEmitter } from './kustomize/index.js';
import { terraformEmitter } from './terraform/index.js';
import type { Emitter, FileSpec } from './types.js';

/** Every emitter; each writes its kind of model part (order does not matter: paths are unique). */
export const EMITTERS: readonly Emitter[] = [githubActionsEmitter, gitlabCiEmitter, kustomizeEmitter, argocdEmitter, terraformEmitter, filesEmitter];

/** All files the model renders to. */
export function emitAll(model: Model): FileSpec[] {
  return EMITTERS.flatMap((e) => e.emit(model));
}
