/**
 * The properties service on a real project (SQLite store): cached curves, the panel's curve and
 * frame calls, imported sequences read from PNG folders, progress and cancel.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { toModelInput } from '../../src/main/data/preprocessing.js';
import { CancelledError, type Progress } from '../../src/main/util/progress.js';
import { parsePropertySpec } from '../../src/main/properties/edit-registry.js';
import { editFrames, imageSeed } from '../../src/main/properties/edit-sequence.js';
import { scoreCurve } from '../../src/main/properties/score-curve.js';
import { seededPermutations } from '../../src/main/properties/shuffle-test.js';
import { ProjectSession } from '../../src/main/project/project-session.js';
import { BIAS_AUDIT_DEMO, CURVE_ARTIFACT, propertyCurve, propertyFrames, propertyKinds, runPropertiesOn } from '../../src/main/features/properties/properties-service.js';
import { REPO } from '../helpers/data-paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'causeway-properties-'));
const session = await ProjectSession.open(join(tmp, 'project'), {
  modelPath: `${REPO}${BIAS_AUDIT_DEMO.models.biased}`,
  dataPath: `${REPO}${BIAS_AUDIT_DEMO.data}`,
  preprocessing: { ...BIAS_AUDIT_DEMO.preprocessing },
});
afterAll(() => {
  session.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('audit with cache', () => {
  it('caches one curve per property and image; a second run reads them back unchanged', async () => {
    const request = { properties: ['patch', 'blur:sigma=1.5'], images: 4, targetClass: 3, steps: 20 };
    const progress: Progress[] = [];
    const first = await runPropertiesOn(session, request, { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toMatchObject({ stage: 'properties', done: 8, total: 8 });
    expect(session.store.listArtifacts(CURVE_ARTIFACT)).toHaveLength(8);
    expect(first.properties.map((g) => [g.name, g.class])).toEqual([
      ['patch', 3],
      ['blur:sigma=1.5', 3],
    ]);
    const second = await runPropertiesOn(session, request);
    expect(session.store.listArtifacts(CURVE_ARTIFACT)).toHaveLength(8);
    expect(second.properties).toEqual(first.properties);
    // JSON all the way: a round trip changes nothing
    expect(JSON.parse(JSON.stringify(second.properties))).toEqual(second.properties);
  });

  it('without --class, groups by each image’s predicted class', async () => {
    const result = await runPropertiesOn(session, { properties: ['brightness'], indices: [0, 1, 2, 3, 4, 5], steps: 10 });
    const n = result.properties.reduce((s, g) => s + g.summary.n, 0);
    expect(n).toBe(6);
    for (const g of result.properties) for (const i of g.images) expect(i.predictedStart).toBe(g.class);
  });

  it('stops at the next image when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(runPropertiesOn(session, { properties: ['hue'], images: 3, steps: 10 }, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses a class the model does not have and an empty request', async () => {
    await expect(runPropertiesOn(session, { properties: ['hue'], targetClass: 10 })).rejects.toThrow(/class 10 is out of range: the model has 10 classes/);
    await expect(runPropertiesOn(session, {})).rejects.toThrow(/name at least one property/);
  });
});

describe('the panel’s calls', () => {
  it('propertyCurve: y_t with its band and scores, the same as the audit’s', async () => {
    const audit = await runPropertiesOn(session, { properties: ['patch'], indices: [7], targetClass: 3, steps: 20 });
    const curve = await propertyCurve(session, { property: 'patch:size=6', index: 7, targetClass: 3, steps: 20 });
    const image = audit.properties[0].images[0];
    expect([curve.property, curve.className, curve.label, curve.epgm, curve.p, curve.flips]).toEqual(['patch', 'cat', image.label, image.epgm, image.p, image.flips]);
    expect(curve.t).toHaveLength(21);
    expect(curve.t[20]).toBe(1);
    expect(curve.y).toHaveLength(21);
    curve.band.lower.forEach((lo, t) => expect(lo).toBeLessThanOrEqual(curve.band.upper[t]));
    expect(curve.nullEpgm.quantiles).toHaveLength(5);
  });

  it('propertyFrames: frame 0 is the image, frame T carries the full patch', async () => {
    const { frames, height, width, channels } = await propertyFrames(session, { property: 'patch', index: 2, steps: 20, frames: [0, 20] });
    expect([height, width, channels]).toEqual([32, 32, 3]);
    expect(frames[0].pixels).toEqual(Array.from((await session.dataset.read([2])).pixels));
    expect(frames[1].t).toBe(1);
    expect(frames[1].pixels.slice((31 * 32 + 31) * 3, (31 * 32 + 31) * 3 + 3)).toEqual([255, 0, 255]);
  });

  it('propertyKinds lists every edit with its parameters', () => {
    const kinds = propertyKinds();
    expect(kinds.map((k) => k.name)).toEqual(['brightness', 'contrast', 'saturation', 'hue', 'blur', 'noise', 'patch', 'rotation']);
    expect(kinds.find((k) => k.name === 'patch')!.params.map((p) => p.name)).toEqual(['color', 'size', 'at', 'x', 'y']);
  });
});

describe('imported sequences', () => {
  // 11 frames named f0.png … f10.png: only natural order puts f10 last
  const root = join(tmp, 'sequences');
  const index = 5;
  const writeSequence = async (name: string) => {
    const raw = await session.dataset.read([index]);
    const frames = editFrames(parsePropertySpec('brightness'), { data: raw.pixels, height: 32, width: 32, channels: 3 }, 10, imageSeed(0, index));
    const bytes = Uint8Array.from(frames, (v) => Math.round(v));
    mkdirSync(join(root, name), { recursive: true });
    for (let f = 0; f <= 10; f++) {
      const png = new PNG({ width: 32, height: 32 });
      for (let p = 0; p < 1024; p++) {
        png.data.set(bytes.subarray(f * 3072 + 3 * p, f * 3072 + 3 * p + 3), 4 * p);
        png.data[4 * p + 3] = 255;
      }
      writeFileSync(join(root, name, `f${f}.png`), PNG.sync.write(png));
    }
    return bytes;
  };

  it('scores each folder as one sequence, frames in natural order, like the same bytes from a dataset', async () => {
    const bytes = await writeSequence('bird-5');
    const result = await runPropertiesOn(session, { sequences: root, targetClass: 2 });
    const image = result.properties[0].images[0];
    expect([result.properties[0].name, image.source, image.index, image.frames]).toEqual(['imported:sequences', 'bird-5', 0, 11]);
    const input = toModelInput({ indices: [...Array(11).keys()], pixels: bytes, labels: new Int32Array(11) }, { height: 32, width: 32, channels: 3 }, { scale: 1 / 255 }, { height: 32, width: 32, channels: 3 });
    const { logits } = await session.model.forward(input, 11);
    const expected = scoreCurve(logits, 11, 10, seededPermutations(11, 1000, 0), 2);
    expect([image.epgm, image.p, image.rho, image.flips]).toEqual([expected.epgm, expected.p, expected.rho, expected.flips]);
    const curve = await propertyCurve(session, { property: 'imported:sequences', index: 0, targetClass: 2, sequences: root });
    expect(curve.y).toEqual(expected.y);
  });

  it('a folder with one frame, or frames of different sizes, is an error naming the file', async () => {
    mkdirSync(join(root, 'lonely'), { recursive: true });
    writeFileSync(join(root, 'lonely', 'only.png'), PNG.sync.write(new PNG({ width: 32, height: 32 })));
    await expect(runPropertiesOn(session, { sequences: root })).rejects.toThrow(/lonely: a sequence needs at least 2 frames/);
    writeFileSync(join(root, 'lonely', 'second.png'), PNG.sync.write(new PNG({ width: 16, height: 16 })));
    await expect(runPropertiesOn(session, { sequences: root })).rejects.toThrow(/second\.png: frame is 16×16/);
  });
});
