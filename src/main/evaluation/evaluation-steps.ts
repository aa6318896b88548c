/** The typed steps an evaluation's progress reports carry, in the order it runs them (METHODS §2). */
export const evaluationSteps = ['statistics', 'taylor', 'true ablation', 'layer curves', 'global curves', 'multi-filter'] as const;

export type EvaluationStep = (typeof evaluationSteps)[number];
