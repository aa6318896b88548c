/**
 * Our own preset layout (no force simulation: it would take seconds at 5,000 nodes and move every
 * time): node layers left to right in topological order, each layer's channels in a grid of at most
 * `maxRows` rows, centred on the horizontal axis. A collapsed layer is one tall box.
 */
export const cell = 16;
export const nodeSize = 11;
export const maxRows = 32;

/**
 * Rows per layer column: 32 for small graphs; more for big ones, so that a VGG-sized graph fills a
 * landscape window instead of a thin strip (5,514 channels → 96 rows, about 2:1).
 */
export function rowsFor(totalChannels: number): number {
  return Math.max(maxRows, Math.min(128, Math.round(Math.sqrt(totalChannels) * 1.3)));
}
export const layerGap = 110;
export const collapsedWidth = 52;

export interface LayoutLayer {
  name: string;
  channels: number;
  collapsed: boolean;
}

export interface LayerBox {
  name: string;
  /** Centre of the layer's box. */
  x: number;
  y: number;
  width: number;
  height: number;
  rows: number;
  columns: number;
  collapsed: boolean;
}

export interface GraphLayout {
  layers: LayerBox[];
  width: number;
  height: number;
}

export function layoutGraph(layers: LayoutLayer[], rowsLimit = rowsFor(layers.reduce((s, l) => s + l.channels, 0))): GraphLayout {
  let left = 0;
  let height = 0;
  const boxes = layers.map((layer) => {
    const rows = Math.max(1, Math.min(layer.channels, rowsLimit));
    const columns = Math.max(1, Math.ceil(layer.channels / rows));
    const width = layer.collapsed ? collapsedWidth : columns * cell;
    const boxHeight = layer.collapsed ? Math.max(40, Math.min(rows * cell, 8 * cell + Math.sqrt(layer.channels) * 6)) : rows * cell;
    const box: LayerBox = { name: layer.name, x: left + width / 2, y: 0, width, height: boxHeight, rows, columns, collapsed: layer.collapsed };
    left += width + layerGap;
    height = Math.max(height, boxHeight);
    return box;
  });
  return { layers: boxes, width: Math.max(0, left - layerGap), height };
}

/** Position of channel k inside its (expanded) layer box: column-major, top to bottom. */
export function channelPosition(box: LayerBox, k: number): { x: number; y: number } {
  const column = Math.floor(k / box.rows);
  const row = k % box.rows;
  return {
    x: box.x - box.width / 2 + column * cell + cell / 2,
    y: box.y - (box.rows * cell) / 2 + row * cell + cell / 2,
  };
}
