/** The properties feature's handler group. */
import type { FeatureHandlers } from '../../../shared/contract.js';
import type { ProjectInfo } from '../../../shared/dto.js';
import type { propertyMethods } from '../../../shared/features/properties.js';
import type { PropertiesPanel } from './properties-app.js';
import { propertyKinds } from './properties-service.js';

/** `openBiasDemo` is the app's (it replaces the open project). */
export function propertyHandlers(panel: PropertiesPanel, openBiasDemo: () => Promise<ProjectInfo>): FeatureHandlers<typeof propertyMethods> {
  return {
    'properties.kinds': async () => propertyKinds(),
    'properties.run': (a) => panel.run(a),
    'properties.curve': (a) => panel.curve(a),
    'properties.openBiasDemo': () => openBiasDemo(),
  };
}
