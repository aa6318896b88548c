/**
 * Projects for the report tests, made the way a user makes them: LeNet-5 on the bundled 500-image
 * CIFAR-10 sample (small build, SCM ranking, a small evaluation, interventions saved through the app's
 * own history and query code), VGG-BN built and ranked but not evaluated (the cross-architecture
 * section and the "not evaluated" path), and a project that was created but never built.
 */
import { join } from 'node:path';
import type { InterventionDto } from '../../src/shared/dto.js';
import { composeReport } from '../../src/main/report/compose-report.js';
import { latestBuild } from '../../src/main/scm/latest-build.js';
import { buildProject } from '../../src/main/features/build/build-service.js';
import { channelStats } from '../../src/main/features/graph/causal-graph.js';
import { evaluateSession } from '../../src/main/features/rankings/evaluation-service.js';
import { InterventionHistory } from '../../src/main/features/interventions/intervention-history.js';
import { realResult, scmBaselines, scmResult } from '../../src/main/features/interventions/intervention-queries.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { computeRanking } from '../../src/main/features/rankings/ranking-job.js';
import { REPO } from '../helpers/data-paths.js';

export const SAMPLE = join(REPO, 'resources/data/cifar10-test-sample.bin');
const preprocessing = { scale: 1 / 255 };

/** The verified intervention (SCM and real results) and the SCM-only one, in the --do syntax the report prints. */
export const verifiedDo = 'conv1:0-2=0';
export const scmOnlyDo = 'conv2:3=x0.5';

const verified: InterventionDto[] = [{ layer: 'conv1', channels: [0, 1, 2], kind: 'zero' }];
const scmOnly: InterventionDto[] = [{ layer: 'conv2', channels: [3], kind: 'scale', value: 0.5 }];

export async function makeLenetProject(dir: string): Promise<void> {
  await buildProject({
    project: dir,
    create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: SAMPLE, preprocessing, name: 'lenet' },
    settings: { limit: 150, augmentImages: 30, batchSize: 32 },
  });
  const session = await ProjectSession.open(dir);
  try {
    const built = await latestBuild(session);
    computeRanking(session.store, built);
    await evaluateSession(session, { seeds: 2, curveImages: 16, resamples: 50, multiFilterK: [1, 4], multiFilterSeeds: 2 });
    const history = new InterventionHistory(session.store);
    const baseline = scmBaselines(built);
    const stats = channelStats(built);
    const id = history.add(verified, scmResult(built, verified, baseline, stats));
    history.setReal(id, await realResult(built, session.model, session.dataset, session.settings.preprocessing, verified));
    history.add(scmOnly, scmResult(built, scmOnly, baseline, stats));
    // A record another tool wrote: the report leaves it out and says so.
    session.store.addIntervention({ spec: { source: 'script', do: 'conv1:0=0' }, scmResult: { accuracy: 0.5 } });
  } finally {
    session.close();
  }
}

export async function makeVggProject(dir: string): Promise<void> {
  await buildProject({
    project: dir,
    create: { modelPath: join(REPO, 'resources/models/vgg_bn'), dataPath: SAMPLE, preprocessing, name: 'vgg' },
    settings: { limit: 60, augmentImages: 10, batchSize: 30 },
  });
  const session = await ProjectSession.open(dir);
  try {
    computeRanking(session.store, await latestBuild(session));
  } finally {
    session.close();
  }
}

/** Created (settings stored) but never built. */
export async function makeUnbuiltProject(dir: string): Promise<void> {
  const session = await ProjectSession.open(dir, { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: SAMPLE, preprocessing });
  session.close();
}

/** A quick LeNet-5 build on the bundled sample, nothing else stored: for the per-lens section tests. */
export async function makeSmallLenetBuild(dir: string): Promise<void> {
  await buildProject({
    project: dir,
    create: { modelPath: join(REPO, 'resources/models/lenet5'), dataPath: SAMPLE, preprocessing, name: 'lenet' },
    settings: { limit: 200, augmentImages: 30, batchSize: 32 },
  });
}

/** The sections a default report of the project holds. */
export async function defaultSections(dir: string): Promise<string[]> {
  const session = await ProjectSession.open(dir);
  try {
    return composeReport(session).data.sections;
  } finally {
    session.close();
  }
}
