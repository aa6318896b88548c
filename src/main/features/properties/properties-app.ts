/**
 * The S4 panel's side of the services: audits run as 'properties' worker jobs named by the
 * renderer's job id (lens jobs: progress as `job.progress`, cancel by `jobs.cancel`), one image's curve (cached by the
 * audit, so opening it after a run is immediate), and the bias-audit demo's project.
 */
import { join } from 'node:path';
import type { ParsedArgsOf } from '../../../shared/contract.js';
import type { PropertyAuditDto, PropertyCurveView } from '../../../shared/properties.js';
import type { LensJobs } from '../../jobs/lens-jobs.js';
import type { NewProject, ProjectSession } from '../../project/project-session.js';
import { BIAS_AUDIT_DEMO, propertiesJob, propertyCurve } from './properties-service.js';

/** Small defaults so the panel answers in seconds (the CLI's defaults are T = 100, 1,000 permutations). */
export const PANEL_DEFAULTS = { steps: 32, permutations: 200 };

export class PropertiesPanel {
  constructor(
    private readonly jobs: LensJobs,
    private readonly session: () => ProjectSession,
  ) {}

  async run(args: ParsedArgsOf<'properties.run'>): Promise<PropertyAuditDto> {
    const session = this.session();
    const request = { project: session.dir, properties: args.properties, indices: args.indices, steps: args.steps ?? PANEL_DEFAULTS.steps, permutations: args.permutations ?? PANEL_DEFAULTS.permutations };
    const result = await this.jobs.start(args.jobId, 'properties', propertiesJob, request);
    return {
      properties: result.properties.map((g) => ({
        name: g.name,
        class: g.class,
        className: g.className,
        summary: { n: g.summary.n, alpha: g.summary.alpha, medianEpgm: g.summary.medianEpgm, shareSignificant: g.summary.shareSignificant, shareLarge: g.summary.shareLarge, largeCutoff: g.summary.largeCutoff },
        images: g.images.map(({ index, label, class: c, epgm, p, rho, flips }) => ({ index, label, class: c, epgm, p, rho, flips })),
      })),
      steps: result.steps,
      permutations: result.permutations,
      alpha: result.alpha,
      classNames: result.classNames,
      seconds: result.seconds,
    };
  }

  async curve(args: ParsedArgsOf<'properties.curve'>): Promise<PropertyCurveView> {
    const c = await propertyCurve(this.session(), { property: args.property, index: args.index, steps: args.steps ?? PANEL_DEFAULTS.steps, permutations: args.permutations ?? PANEL_DEFAULTS.permutations });
    return { property: c.property, index: c.index, className: c.className, t: c.t, y: c.y, band: c.band, epgm: c.epgm, p: c.p, rho: c.rho, flips: c.flips, significant: c.significant };
  }
}

/** The biased model of the bias-audit demo on the bundled sample, in the user data folder. */
export function biasAuditProject(resourcesDir: string, userDataDir: string): { dir: string; create: NewProject } {
  const repoRoot = join(resourcesDir, '..');
  return {
    dir: join(userDataDir, 'demo-projects', 'bias-audit'),
    create: {
      modelPath: join(repoRoot, BIAS_AUDIT_DEMO.models.biased),
      dataPath: join(repoRoot, BIAS_AUDIT_DEMO.data),
      preprocessing: { ...BIAS_AUDIT_DEMO.preprocessing },
      name: `bias audit (biased model: patch → ${BIAS_AUDIT_DEMO.biasClassName})`,
    },
  };
}
