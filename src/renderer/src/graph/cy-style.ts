/** The Cytoscape stylesheet for a palette (rebuilt when the theme changes). */
import type { StylesheetJson } from 'cytoscape';
import type { Palette } from './colours.js';
import { explainStyle } from './explain-overlay.js';
import { nodeSize } from './layout.js';

/** Layer names are drawn this many pixels high on screen, whatever the zoom. */
export const layerLabelPixels = 11;

/** The font size, in graph units, that draws a layer name `layerLabelPixels` high at `zoom`. */
export function layerLabelSize(zoom: number): number {
  return layerLabelPixels / Math.max(zoom, 1e-3);
}

export function graphStyle(p: Palette): StylesheetJson {
  return [
    {
      selector: 'node.channel',
      style: {
        width: nodeSize,
        height: nodeSize,
        shape: 'ellipse',
        'background-color': 'data(color)',
        'border-width': 0.5,
        'border-color': p.layerBorder,
        label: 'data(label)',
        'font-size': 6,
        color: p.text,
        'text-valign': 'center',
        'text-halign': 'center',
        // Labels only once zoomed in far enough to read them: thousands of tiny labels cost frames.
        'min-zoomed-font-size': 9,
        // A selection box takes every filter it touches; no overlay halo enlarges the nodes.
        'box-selection': 'overlap',
        'overlay-padding': 0,
      },
    },
    {
      selector: 'node.logit',
      // Ten class names are cheap: shown from further out than filter numbers.
      style: { shape: 'round-rectangle', 'text-halign': 'right', 'text-margin-x': 4, 'font-size': 7, 'min-zoomed-font-size': 4 },
    },
    {
      selector: 'node.layer',
      style: {
        shape: 'round-rectangle',
        'background-color': p.layerFill,
        'background-opacity': 0.7,
        'border-width': 1,
        'border-color': p.layerBorder,
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        // The canvas scales this by 1/zoom (layerLabelSize): layer names stay 11 px on screen at any
        // size of graph, wrapped (after _ - / .) where the column is too narrow for them.
        'font-size': 13,
        'font-weight': 'bold',
        'text-wrap': 'wrap',
        'text-max-width': 'data(labelWidth)',
        color: p.text,
        padding: '8px',
      },
    },
    {
      // A layer box drawn behind its channels (big graphs), sized by us rather than by its children.
      selector: 'node.layer.flat',
      style: { width: 'data(w)', height: 'data(h)', 'z-index-compare': 'manual', 'z-index': 0 },
    },
    // Drawing order: layer boxes, then edges (lit ones above the rest), then filters: a click at a
    // filter's centre always lands on the filter.
    { selector: 'node.channel, node.collapsed', style: { 'z-index-compare': 'manual', 'z-index': 3 } },
    {
      selector: 'node.collapsed',
      style: {
        shape: 'round-rectangle',
        width: 52,
        height: 'data(h)',
        'background-color': 'data(color)',
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': p.layerBorder,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-valign': 'top',
        'text-margin-y': -4,
        'font-size': 11,
        color: p.text,
        'min-zoomed-font-size': 4,
      },
    },
    // Selection as an underlay ring: drawn apart from the node's cached texture, so selecting two
    // thousand filters does not re-render two thousand node images.
    { selector: 'node.channel:selected', style: { 'underlay-color': p.accent, 'underlay-opacity': 0.9, 'underlay-padding': 3, 'underlay-shape': 'ellipse' } },
    { selector: 'node.match', style: { 'border-width': 3, 'border-color': p.match } },
    { selector: 'node.hovered', style: { 'border-width': 2, 'border-color': p.text } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': 'data(color)',
        // Haystack edges are straight lines drawn in bulk: the fastest kind Cytoscape has.
        'curve-style': 'haystack',
        'haystack-radius': 0,
        opacity: 0.9,
        'z-index-compare': 'manual',
        'z-index': 1,
        // Edges are not clickable: a press on an edge under a filter reaches the filter (or the background).
        events: 'no',
      },
    },
    { selector: 'edge.faded', style: { opacity: 0.12 } },
    { selector: 'edge.lit', style: { opacity: 1, 'z-index': 2 } },
    { selector: 'node.faded', style: { opacity: 0.35 } },
    ...explainStyle(p),
  ];
}
