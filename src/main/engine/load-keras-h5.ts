/**
 * Keras HDF5 (`model.save('x.h5')`, Keras 2.x and Keras 3's legacy h5): the JSON `model_config`
 * attribute on the root and the weights under `model_weights/<layer>/`, whose `weight_names`
 * attribute lists the datasets (paths relative to that group) in Keras order.
 */
import { basename, extname, resolve } from 'node:path';
import { datasetFloat32, getEntity, isDataset, isGroup, stringAttr, stringListAttr, withH5File, type Group } from './h5-reader.js';
import { buildModelSpec, parseJson, shortWeightName, type RawWeight, type WeightSource } from './keras-config.js';
import { ModelLoadError, type ModelSpec } from './model-spec.js';

/** Loads a Keras model saved in HDF5 format. */
export async function loadKerasH5(path: string): Promise<ModelSpec> {
  const file = resolve(path);
  return withH5File(file, file, (f) => {
    const configText = stringAttr(f, 'model_config');
    if (configText === undefined) {
      const weightsOnly = stringListAttr(f, 'layer_names') !== undefined || isGroup(getEntity(f, 'model_weights'));
      throw new ModelLoadError(
        file,
        weightsOnly
          ? 'the file has weights but no architecture (no model_config attribute; it was written by save_weights()); save the whole model with model.save()'
          : 'has no model_config attribute; not a Keras model file',
      );
    }
    const modelConfig = parseJson(file, configText, 'the model_config attribute');
    const weightsRoot = getEntity(f, 'model_weights');
    const root = isGroup(weightsRoot) ? weightsRoot : f;
    const kerasVersion = stringAttr(f, 'keras_version') ?? stringAttr(root, 'keras_version');
    return buildModelSpec({
      file,
      format: 'keras-h5',
      modelConfig,
      weights: h5WeightSource(file, root),
      kerasVersion,
      fallbackName: basename(file, extname(file)),
    });
  });
}

/**
 * Layer weights from `model_weights/<layer>/` per its weight_names. A layer of a nested model
 * ([model, layer]) is looked up in the nested model's group among the names under `.../<layer>/`.
 */
function h5WeightSource(file: string, root: Group): WeightSource {
  return {
    weightsFor(path) {
      const group = getEntity(root, path[0]);
      if (!isGroup(group)) return undefined;
      let names = stringListAttr(group, 'weight_names');
      if (names === undefined) return undefined;
      if (path.length > 1) {
        const layer = path[path.length - 1];
        names = names.filter((n) => {
          const dir = n.slice(0, Math.max(0, n.lastIndexOf('/')));
          return dir === layer || dir.endsWith(`/${layer}`) || dir.startsWith(`${layer}/`) || dir.includes(`/${layer}/`);
        });
      }
      return names.map((name): RawWeight => {
        const d = getEntity(group, name);
        if (!isDataset(d)) {
          throw new ModelLoadError(file, `layer ${path.join('/')}: weight ${name} is listed in weight_names but missing from the file`);
        }
        let data: { shape: number[]; values: Float32Array };
        try {
          data = datasetFloat32(d);
        } catch (e) {
          throw new ModelLoadError(file, `layer ${path.join('/')}: weight ${shortWeightName(name)}: ${(e as Error).message}`);
        }
        return { name, ...data };
      });
    },
  };
}
