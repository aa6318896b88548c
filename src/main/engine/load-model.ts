/**
 * The model-file entry point: dispatches on the path to the TensorFlow.js LayersModel, Keras HDF5,
 * Keras v3 or ONNX loader. All of them return a ModelSpec or throw a ModelLoadError naming the file.
 */
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { loadKerasH5 } from './load-keras-h5.js';
import { loadKerasV3 } from './load-keras-v3.js';
import { loadOnnx } from './load-onnx.js';
import { loadTfjsLayers } from './load-tfjs-layers.js';
import { ModelLoadError, type ModelSpec } from './model-spec.js';

export const ACCEPTED_MODEL_FORMATS =
  'a TensorFlow.js LayersModel (model.json, or the directory holding it), a Keras HDF5 file (.h5, .hdf5), a Keras v3 archive (.keras) or an ONNX model (.onnx)';

/** Reads a model file (or a directory with model.json) into a ModelSpec. */
export async function loadModelSpec(path: string): Promise<ModelSpec> {
  const file = resolve(path);
  let isDir: boolean;
  try {
    isDir = (await stat(file)).isDirectory();
  } catch {
    throw new ModelLoadError(file, 'file not found');
  }
  if (isDir) {
    const json = join(file, 'model.json');
    try {
      await stat(json);
    } catch {
      throw new ModelLoadError(file, `is a directory without model.json; expected ${ACCEPTED_MODEL_FORMATS}`);
    }
    return loadTfjsLayers(json);
  }
  switch (extname(file).toLowerCase()) {
    case '.json':
      return loadTfjsLayers(file);
    case '.h5':
    case '.hdf5':
      return loadKerasH5(file);
    case '.keras':
      return loadKerasV3(file);
    case '.onnx':
      return loadOnnx(file);
    default:
      throw new ModelLoadError(file, `is not a supported model file; expected ${ACCEPTED_MODEL_FORMATS}`);
  }
}
