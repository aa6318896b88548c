/** Job-shaped S3/S2 entry points for the worker registry: plain arguments, a session of their own. */
import type { AttackRequest, CemapRequest } from '../../causal-effect/cemap-settings.js';
import type { GraphSettingsInput } from '../../explanatory-graph/graph-settings.js';
import type { ProgressListener } from '../../util/progress.js';
import { adversarialReport, cemapImage } from '../pixel-effects/cemap-service.js';
import { explanatoryGraphOn } from '../explain/explanatory-graph-service.js';
import { ProjectSession } from '../../project/project-session.js';

interface Hooks {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

async function withSession<T>(project: string, fn: (session: ProjectSession) => Promise<T>): Promise<T> {
  const session = await ProjectSession.open(project);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

export function cemapImageJob(args: { project: string; index: number; request?: CemapRequest; attack?: AttackRequest }, hooks: Hooks = {}) {
  return withSession(args.project, (s) => cemapImage(s, args.index, args.request, args.attack, hooks));
}

export function adversarialJob(args: { project: string; request: CemapRequest & AttackRequest }, hooks: Hooks = {}) {
  return withSession(args.project, (s) => adversarialReport(s, args.request, hooks));
}

export function explainJob(args: { project: string; class: number; settings?: GraphSettingsInput }, hooks: Hooks = {}) {
  return withSession(args.project, (s) => explanatoryGraphOn(s, args.class, args.settings, hooks));
}
