/** The sections a user can pick for a report, in the order they print. The footer is always on. */

export const sectionIds = ['summary', 'validation', 'rankings', 'fidelity', 'plots', 'interventions', 'pixel-effects', 'properties', 'explanations', 'comparison'] as const;

export type SectionId = (typeof sectionIds)[number];

/** Earlier names a user's pick may still use (scripts): `pixels` was the pixel-effects section. */
const sectionAliases: Readonly<Record<string, SectionId>> = { pixels: 'pixel-effects' };

export interface SectionInfo {
  id: SectionId;
  title: string;
  description: string;
  /** Needs two or more projects (the cross-architecture comparison). */
  severalProjects: boolean;
  /** Printed only when the project has an evaluation (`causeway evaluate`); otherwise it says how to get one. */
  needsEvaluation: boolean;
}

export const sectionCatalogue: readonly SectionInfo[] = [
  { id: 'summary', title: 'Model and dataset', description: 'model, dataset, preprocessing, backend, build settings and accuracy', severalProjects: false, needsEvaluation: false },
  { id: 'validation', title: 'SCM validation', description: 'SCM vs model accuracy on the held-out images, fit quality of every layer’s equations', severalProjects: false, needsEvaluation: false },
  { id: 'rankings', title: 'Filter rankings', description: 'most and least important filters per layer; other criteria side by side when evaluated', severalProjects: false, needsEvaluation: false },
  { id: 'fidelity', title: 'Ranking fidelity', description: 'every criterion against true single-filter ablation; the SCM as a surrogate', severalProjects: false, needsEvaluation: true },
  { id: 'plots', title: 'Plots', description: 'per-layer fit (always); ablation curves and predicted vs true drops when evaluated', severalProjects: false, needsEvaluation: false },
  { id: 'interventions', title: 'Interventions', description: 'the interventions run in the app, with the SCM’s and the real network’s answers', severalProjects: false, needsEvaluation: false },
  { id: 'pixel-effects', title: 'Pixel-level causal effects (S3)', description: 'stored CE-map runs (agreement with Grad-CAM, faithfulness) and adversarial detection', severalProjects: false, needsEvaluation: false },
  { id: 'properties', title: 'Property interventions (S4)', description: 'stored property audits: median EPGM and the shares significant, large and flipped', severalProjects: false, needsEvaluation: false },
  { id: 'explanations', title: 'Causal explanatory graphs (S2)', description: 'stored class graphs with stability and faithfulness against baselines, and repairs', severalProjects: false, needsEvaluation: false },
  { id: 'comparison', title: 'Cross-architecture comparison', description: 'the projects side by side (two or more projects)', severalProjects: true, needsEvaluation: false },
];

export function sectionTitle(id: SectionId): string {
  return sectionCatalogue.find((s) => s.id === id)!.title;
}

/**
 * Validates a user's pick (names the unknown ones) and puts it in print order; default: every section
 * that applies (the S2, S3 and S4 sections only when a project has their results stored).
 */
export function resolveSections(requested: readonly string[] | undefined, projectCount: number, stored: { explanations?: boolean; properties?: boolean; pixelEffects?: boolean } = {}): SectionId[] {
  if (requested === undefined || requested.length === 0) {
    return sectionIds.filter(
      (id) => (id !== 'comparison' || projectCount > 1) && (id !== 'explanations' || stored.explanations) && (id !== 'properties' || stored.properties) && (id !== 'pixel-effects' || stored.pixelEffects),
    );
  }
  requested = requested.map((s) => sectionAliases[s] ?? s);
  const unknown = requested.filter((s) => !(sectionIds as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown report section ${unknown.map((s) => `"${s}"`).join(', ')}; sections: ${sectionIds.join(', ')}`);
  if (requested.includes('comparison') && projectCount < 2) {
    throw new Error('the comparison section needs two or more projects (add them with --compare DIR2,DIR3)');
  }
  return sectionIds.filter((id) => requested.includes(id));
}
