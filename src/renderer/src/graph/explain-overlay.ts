/**
 * The S2 explanatory graph drawn over the causal graph: the class's nodes ringed (one colour per
 * class, a third for nodes both compared classes share), its edges added as their own layer (width by
 * effect), everything else dimmed. Ids arrive as "layer:channel" like the services name them.
 */
import type { Core, StylesheetJson } from 'cytoscape';
import type { Palette } from './colours.js';
import { channelId } from './elements.js';

export type ExplainSet = 'a' | 'b' | 'shared';

export interface ExplainOverlay {
  nodes: Record<string, ExplainSet>;
  edges: { from: string; to: string; effect: number; set: ExplainSet }[];
}

export const explainColours: Record<ExplainSet, string> = { a: '#e8590c', b: '#1c7ed6', shared: '#9c36b5' };

/** Cytoscape's id of a "layer:channel" reference, or undefined when the layer is not drawn. */
export function cyIdOf(ref: string, layerIndex: Map<string, number>): string | undefined {
  const cut = ref.lastIndexOf(':');
  const index = layerIndex.get(ref.slice(0, cut));
  return index === undefined ? undefined : channelId(index, Number(ref.slice(cut + 1)));
}

export function applyExplainOverlay(cy: Core, overlay: ExplainOverlay | null, layerIndex: Map<string, number>): void {
  cy.batch(() => {
    cy.remove('edge.explain');
    cy.elements().removeClass('explain-dim explain-a explain-b explain-shared');
    if (!overlay) return;
    cy.elements().addClass('explain-dim');
    for (const [ref, set] of Object.entries(overlay.nodes)) {
      const id = cyIdOf(ref, layerIndex);
      if (id) cy.getElementById(id).removeClass('explain-dim').addClass(`explain-${set}`);
    }
    const top = overlay.edges.reduce((m, e) => Math.max(m, Math.abs(e.effect)), 0) || 1;
    for (const e of overlay.edges) {
      const [source, target] = [cyIdOf(e.from, layerIndex), cyIdOf(e.to, layerIndex)];
      if (!source || !target || cy.getElementById(source).empty() || cy.getElementById(target).empty()) continue;
      cy.add({
        group: 'edges',
        data: { id: `x:${e.set}:${source}>${target}`, source, target, width: 1.5 + 6 * (Math.abs(e.effect) / top), color: explainColours[e.set] },
        classes: `explain explain-${e.set}`,
      });
    }
    cy.nodes('.layer').removeClass('explain-dim');
  });
}

export function explainStyle(p: Palette): StylesheetJson {
  const ring = (set: ExplainSet) => ({ selector: `node.explain-${set}`, style: { 'border-width': 4, 'border-color': explainColours[set], opacity: 1 } });
  return [
    { selector: '.explain-dim', style: { opacity: 0.15 } },
    ring('a'),
    ring('b'),
    ring('shared'),
    { selector: 'edge.explain', style: { 'curve-style': 'bezier', opacity: 0.95, 'z-index': 20, 'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(color)', 'arrow-scale': 0.8, 'underlay-opacity': 0, color: p.text } },
  ];
}
