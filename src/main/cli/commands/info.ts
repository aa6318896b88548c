/** `causeway info --model PATH [--json]`: engine, backend, input shape, parameters and node layers. */
import { LoadedModel } from '../../engine/loaded-model.js';
import { count, table } from '../format.js';
import { type Flags, requireString } from '../options.js';

export const infoUsage = 'info --model PATH [--json]';

export async function infoCommand(flags: Flags): Promise<{ json: unknown; text: string }> {
  const model = await LoadedModel.load(requireString(flags, 'model'));
  try {
    const s = model.summary();
    const json = {
      engine: s.engine.name,
      engineReason: s.engine.reason,
      executionProvider: s.engine.provider,
      threads: s.engine.threads,
      backend: s.backend.name,
      backendReason: s.backend.reason,
      model: s.name,
      format: s.format,
      kerasVersion: s.kerasVersion,
      producer: s.producer,
      inputShape: s.inputShape,
      params: s.params,
      numClasses: s.numClasses,
      nodeLayers: s.nodeLayers.map((n) => ({ name: n.name, kind: n.kind, channels: n.channels, shape: n.shape, parents: n.parents })),
    };
    const text = [
      `model     ${s.name} (${s.format}${s.kerasVersion ? `, Keras ${s.kerasVersion}` : ''}${s.producer ? `, ${s.producer}` : ''})`,
      ...(s.format === 'onnx' ? ['layout    NCHW in the file, run channels-last (NHWC): inputs are H×W×C images'] : []),
      `input     ${s.inputShape.join('×')}   parameters ${count(s.params)}   classes ${s.numClasses}`,
      `engine    ${s.engine.name}: ${s.engine.reason}`,
      `backend   ${s.backend.name} (TensorFlow.js${s.engine.name === 'ort' ? ', for gradients' : ''}): ${s.backend.reason}`,
      '',
      table(
        s.nodeLayers.map((n) => [n.name, n.kind, n.channels, n.shape.join('×'), n.parents.join(', ') || '(exogenous)']),
        ['node layer', 'kind', 'channels', 'shape', 'parents'],
      ),
    ].join('\n');
    return { json, text };
  } finally {
    model.dispose();
  }
}
