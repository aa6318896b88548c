/**
 * The pixel-effects (S3) and explanatory-graph (S2) worker jobs: their declarations and the functions
 * the worker runs (plain arguments, a session of their own).
 */
import type { AttackRequest, CemapRequest } from '../../causal-effect/cemap-settings.js';
import type { GraphSettingsInput } from '../../explanatory-graph/graph-settings.js';
import { defineJob, type JobHooks } from '../../jobs/job-declaration.js';
import { withProjectSession } from '../../project/project-session.js';
import { adversarialReport, cemapImage, type PixelEffectsStep } from '../pixel-effects/cemap-service.js';
import type { GraphStep } from '../../explanatory-graph/intervention-effects.js';
import { explanatoryGraphOn, repairOn } from '../explain/explanatory-graph-service.js';

type CemapImageArgs = { project: string; index: number; request?: CemapRequest; attack?: AttackRequest };
type AdversarialArgs = { project: string; request: CemapRequest & AttackRequest };
type ExplainArgs = { project: string; class: number; settings?: GraphSettingsInput };
type RepairArgs = { project: string; class: number; feature?: string; settings?: GraphSettingsInput };

export function runCemapImage(args: CemapImageArgs, hooks: JobHooks<PixelEffectsStep> = {}) {
  return withProjectSession(args.project, (s) => cemapImage(s, args.index, args.request, args.attack, hooks));
}

export function runAdversarial(args: AdversarialArgs, hooks: JobHooks<PixelEffectsStep> = {}) {
  return withProjectSession(args.project, (s) => adversarialReport(s, args.request, hooks));
}

export function runExplain(args: ExplainArgs, hooks: JobHooks<GraphStep> = {}) {
  return withProjectSession(args.project, (s) => explanatoryGraphOn(s, args.class, args.settings, hooks));
}

export function runRepair(args: RepairArgs, hooks: JobHooks<GraphStep> = {}) {
  return withProjectSession(args.project, (s) => repairOn(s, { class: args.class, feature: args.feature, settings: args.settings }, hooks));
}

const pixelEffectsSteps = ['ce maps', 'attack'] as const satisfies readonly PixelEffectsStep[];
const graphSteps = ['node effects', 'path effects'] as const satisfies readonly GraphStep[];

export const cemapImageJob = defineJob<CemapImageArgs, Awaited<ReturnType<typeof runCemapImage>>>()('cemap-image', pixelEffectsSteps);
export const adversarialJob = defineJob<AdversarialArgs, Awaited<ReturnType<typeof runAdversarial>>>()('adversarial', pixelEffectsSteps);
export const explainJob = defineJob<ExplainArgs, Awaited<ReturnType<typeof runExplain>>>()('explain', graphSteps);
export const repairJob = defineJob<RepairArgs, Awaited<ReturnType<typeof runRepair>>>()('repair', graphSteps);
