/**
 * The build settings have one schema for the app and the CLI: the same defaults, the same limits,
 * and regressor options reachable from both (`--regressor-options`, the Pipeline view's options field).
 */
import { describe, expect, it } from 'vitest';
import { adversarialValues } from '../../src/main/cli/commands/adversarial.js';
import { cemapRequestFrom, cemapValues } from '../../src/main/cli/commands/cemap.js';
import { evaluateFlags, evaluationSettingsFrom } from '../../src/main/cli/commands/evaluate.js';
import { buildFlags, buildSettingsFrom } from '../../src/main/cli/project-options.js';
import { dispatch } from '../../src/main/services/dispatch.js';
import { type ApiHandlers, methodNames } from '../../src/shared/contract.js';
import { regressorOptionsSchema } from '../../src/shared/features/build.js';
import { objectFromText } from '../../src/shared/schema-text.js';
import { parseFlags } from '../../src/main/cli/schema-flags.js';
import { attackSchema } from '../../src/shared/features/pixel-effects.js';

const echo = Object.fromEntries(methodNames.map((n) => [n, async (a: unknown) => a])) as unknown as ApiHandlers;
const appSettings = async (settings: Record<string, unknown>) => ((await dispatch(echo, 'build.start', { settings })) as { settings: unknown }).settings;

describe('build settings from CLI flags and app arguments', () => {
  it('names every setting as a flag, including the split share and the regressor options', () => {
    expect(buildFlags).toEqual(['phi', 'regressor', 'regressor-options', 'augment', 'augment-images', 'limit', 'seed', 'eval-fraction', 'batch-size']);
  });

  it('fills the same defaults; the regressor follows φ (ridge for continuous, logistic for binary)', async () => {
    const cli = buildSettingsFrom({});
    expect(cli).toEqual({ phi: 'fro', regressor: 'ridge', augment: 0.1, augmentImages: 1000, seed: 0, evalFraction: 0.2, batchSize: 64 });
    expect({ ...(await appSettings({})) as object, regressor: 'ridge' }).toEqual(cli);
    expect(buildSettingsFrom({ phi: 'binary' }).regressor).toBe('logistic');
  });

  it('refuses the same out-of-range values in both (batch size at most 4096)', async () => {
    expect(buildSettingsFrom({ 'batch-size': '4096' }).batchSize).toBe(4096);
    expect(() => buildSettingsFrom({ 'batch-size': '5000' })).toThrow(/--batch-size: .*4096/);
    await expect(appSettings({ batchSize: 5000 })).rejects.toMatchObject({ code: 'invalid-args', message: expect.stringMatching(/batchSize.*4096/) });
    expect(() => buildSettingsFrom({ 'eval-fraction': '1' })).toThrow(/--eval-fraction/);
    expect(() => buildSettingsFrom({ limit: 'ten' })).toThrow(/--limit must be a number/);
    expect(() => buildSettingsFrom({ regressor: 'tree' })).toThrow(/--regressor/);
  });

  it('reads regressor options with the schema types and refuses options the regressor does not take', () => {
    expect(buildSettingsFrom({ regressor: 'random-forest', 'regressor-options': 'nTrees=7, featuresPerSplit=sqrt, bootstrap=false' }).regressorOptions).toEqual({ nTrees: 7, featuresPerSplit: 'sqrt', bootstrap: false });
    expect(buildSettingsFrom({ regressor: 'ridge', 'regressor-options': 'alpha=1/2,selection=fixed' }).regressorOptions).toEqual({ alpha: 0.5, selection: 'fixed' });
    expect(() => buildSettingsFrom({ regressor: 'ridge', 'regressor-options': 'nTrees=7' })).toThrow(/"nTrees" does not apply to the ridge regressor/);
    expect(() => buildSettingsFrom({ 'regressor-options': 'trees=7' })).toThrow(/unknown option "trees"/);
    expect(() => buildSettingsFrom({ regressor: 'random-forest', 'regressor-options': 'nTrees=0' })).toThrow(/--regressor-options n-trees/);
    // The app's text field reads the same way.
    expect(objectFromText(regressorOptionsSchema, 'alphas=0.1;1;10, folds=3', 'options')).toEqual({ alphas: [0.1, 1, 10], folds: 3 });
  });
});

describe('evaluation settings from CLI flags and app arguments', () => {
  it('share one schema: the CLI takes five of its fields, the app three, with the same limits', async () => {
    expect(evaluateFlags).toEqual(['seeds', 'curve-images', 'resamples', 'batch-size', 'taylor']);
    expect(evaluationSettingsFrom({ seeds: '3', taylor: 'pooled' })).toMatchObject({ seeds: 3, curveImages: 128, resamples: 1000, taylor: 'pooled' });
    expect(() => evaluationSettingsFrom({ resamples: '200000' })).toThrow(/--resamples: .*100000/);
    await expect(dispatch(echo, 'rankings.evaluate', { settings: { resamples: 200_000 } })).rejects.toMatchObject({ code: 'invalid-args', message: expect.stringMatching(/resamples.*100000/) });
    await expect(dispatch(echo, 'rankings.evaluate', { settings: { taylor: 'pooled' } })).rejects.toMatchObject({ code: 'invalid-args' });
    expect(() => evaluationSettingsFrom({ taylor: 'signed' })).toThrow(/--taylor/);
  });
});

describe('pixel-effect settings from CLI flags and app arguments', () => {
  it("take the app's CE-map and attack schemas (the CLI adds the Grad-CAM layer), with the same limits", async () => {
    expect(cemapValues).toEqual(['grid', 'fill', 'images', 'seed', 'layer']);
    expect(adversarialValues).toEqual(['grid', 'fill', 'images', 'seed', 'layer', 'attack', 'eps', 'steps']);
    expect(cemapRequestFrom({ grid: '4', fill: 'blur', layer: 'conv2' })).toEqual({ grid: 4, fill: 'blur', layer: 'conv2' });
    expect(() => cemapRequestFrom({ fill: 'noise' })).toThrow(/--fill must be one of zero, mean, blur/);
    expect(() => cemapRequestFrom({ grid: '65' })).toThrow(/--grid: .*64/);
    expect(() => parseFlags(attackSchema, { eps: '8' })).toThrow(/--attack is required/);
    expect(() => parseFlags(attackSchema, { attack: 'pgd', eps: '300' })).toThrow(/--eps: .*255/);
    await expect(dispatch(echo, 'pixelEffects.adversarial', { jobId: 'j', settings: { grid: 65 }, attack: { attack: 'fgsm', eps: 8 } })).rejects.toMatchObject({ code: 'invalid-args', message: expect.stringMatching(/grid.*64/) });
  });
});
