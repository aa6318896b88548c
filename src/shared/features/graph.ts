/** The causal graph of the built SCM and one filter's detail. */
import { z } from 'zod';
import type { ChannelDetail, GraphDto } from '../dto.js';
import { method } from '../feature.js';
import { layerName } from './common.js';

export const graphMethods = {
  'graph.get': method<GraphDto>()(z.object({ topK: z.number().int().min(1).max(64).optional() }).strict().optional()),
  'graph.channel': method<ChannelDetail>()(z.object({ layer: layerName, channel: z.number().int().min(0) }).strict()),
};
