/** What an evaluation depends on besides the project's SCM build: the schema is shared/features/rankings.ts. */
import type { z } from 'zod';
import { evaluationSettingsSchema } from '../../shared/features/rankings.js';

export { evaluationSettingsSchema };

export type EvaluationSettingsInput = z.input<typeof evaluationSettingsSchema>;
export type EvaluationSettings = z.output<typeof evaluationSettingsSchema>;

export function resolveEvaluationSettings(input: EvaluationSettingsInput = {}): EvaluationSettings {
  return evaluationSettingsSchema.parse(input);
}
