/** The graph's preset layout and elements: positions, collapsing, edge filters, colours, search. */
import { describe, expect, it } from 'vitest';
import { diverging, lightPalette, mix } from '../../../src/renderer/src/graph/colours.js';
import { channelId, collapsedId, defaultCollapsed, edgeRanks, graphElements, type GraphView, layerId, parseChannelId } from '../../../src/renderer/src/graph/elements.js';
import { cell, channelPosition, layoutGraph, maxRows, rowsFor } from '../../../src/renderer/src/graph/layout.js';
import { interventionsOf, searchGraph } from '../../../src/renderer/src/stores/graph.js';
import { graph } from './fixtures.js';

const view = (over: Partial<GraphView> = {}): GraphView => ({
  collapsed: new Set(),
  topK: 2,
  threshold: 0,
  colourBy: 'importance',
  values: graph().importance,
  classNames: ['airplane', 'automobile', 'bird'],
  palette: lightPalette,
  ...over,
});

describe('layout', () => {
  it('puts layers left to right with gaps, channels in columns of at most 32 rows, no two nodes on one spot', () => {
    const layout = layoutGraph([
      { name: 'a', channels: 6, collapsed: false },
      { name: 'b', channels: 100, collapsed: false },
      { name: 'c', channels: 512, collapsed: true },
    ]);
    const [a, b, c] = layout.layers;
    expect(a.x + a.width / 2).toBeLessThan(b.x - b.width / 2);
    expect(b.x + b.width / 2).toBeLessThan(c.x - c.width / 2);
    expect([b.rows, b.columns]).toEqual([maxRows, 4]);
    const seen = new Set<string>();
    for (let k = 0; k < 100; k++) {
      const p = channelPosition(b, k);
      expect(Math.abs(p.x - b.x)).toBeLessThanOrEqual(b.width / 2);
      expect(Math.abs(p.y - b.y)).toBeLessThanOrEqual(b.height / 2);
      seen.add(`${p.x},${p.y}`);
    }
    expect(seen.size).toBe(100);
    expect(channelPosition(b, 1).y - channelPosition(b, 0).y).toBe(cell);
    expect(c.width).toBeLessThan(b.width);
  });

  it('gives big graphs taller columns, so VGG-19 fills a landscape window', () => {
    const vgg19 = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512, 10];
    expect(rowsFor(32)).toBe(maxRows);
    expect(rowsFor(5514)).toBe(97);
    const layout = layoutGraph(vgg19.map((channels, i) => ({ name: `l${i}`, channels, collapsed: false })));
    expect(layout.width / layout.height).toBeGreaterThan(1.2);
    expect(layout.width / layout.height).toBeLessThan(2.5);
  });
});

describe('elements', () => {
  it('makes compound layers holding one node per channel, outputs labelled with class names and not selectable', () => {
    const els = graphElements(graph(), view());
    const nodes = els.filter((e) => e.group === 'nodes');
    expect(nodes.filter((n) => n.data.parent === layerId('conv2')).map((n) => n.data.id)).toEqual(['n:1:0', 'n:1:1', 'n:1:2']);
    const logit = nodes.find((n) => n.data.id === channelId(2, 2))!;
    expect([logit.data.label, logit.selectable]).toEqual(['bird', false]);
    expect(nodes.find((n) => n.data.id === 'n:0:1')!.selectable).toBe(true);
    expect(nodes.find((n) => n.data.id === layerId('conv1'))).toMatchObject({ selectable: false, pannable: true });
    expect(parseChannelId('n:12:345')).toEqual({ layerIndex: 12, channel: 345 });
    expect(graphElements(graph(), view({ channelLabels: false })).find((e) => e.data.id === 'n:1:0')!.data.label).toBe('');
    // Edge ids are stable (source>target), so an update keeps the edges that did not change.
    expect(graphElements(graph(), view()).filter((e) => e.group === 'edges').map((e) => e.data.id)).toContain('e:n:0:1>n:1:0');
  });

  it('keeps the top k parents per child, drops edges under the threshold', () => {
    const edges = (v: GraphView) => graphElements(graph(), v).filter((e) => e.group === 'edges');
    expect(edges(view())).toHaveLength(12);
    const top1 = edges(view({ topK: 1 }));
    expect(top1.map((e) => e.data.strength)).toEqual([0.9, 0.5, 0.7, 1.2, 0.8, 0.6]);
    expect(edges(view({ threshold: 0.55 })).map((e) => e.data.strength)).toEqual([0.9, 0.7, 1.2, 0.8, 0.6]);
    expect(Array.from(edgeRanks(graph()))).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('merges the edges of a collapsed layer, keeping the strongest of each pair', () => {
    const els = graphElements(graph(), view({ collapsed: new Set(['conv2']) }));
    expect(els.some((e) => e.data.parent === layerId('conv2') || e.data.id === layerId('conv2'))).toBe(false);
    expect(els.find((e) => e.data.id === collapsedId('conv2'))).toMatchObject({ classes: 'collapsed', pannable: true });
    const edges = els.filter((e) => e.group === 'edges');
    const into = edges.filter((e) => e.data.target === collapsedId('conv2'));
    expect(into.map((e) => [e.data.source, e.data.strength, e.data.count])).toEqual([
      ['n:0:1', 0.9, 3],
      ['n:0:0', 0.7, 3],
    ]);
    const out = edges.filter((e) => e.data.source === collapsedId('conv2'));
    expect(out.map((e) => [e.data.target, e.data.strength, e.data.weight])).toEqual([
      ['n:2:0', 1.2, 1.2],
      ['n:2:1', 0.8, -0.8],
      ['n:2:2', 0.6, 0.6],
    ]);
  });

  it('colours by the chosen values on a diverging scale around the neutral colour', () => {
    const els = graphElements(graph(), view());
    const colour = (id: string) => els.find((e) => e.data.id === id)!.data.color;
    expect(colour('n:1:0')).toBe(lightPalette.neutral);
    expect(colour('n:1:1')).toBe(lightPalette.positive); // the largest |value| gets the full colour
    expect(colour('n:1:2')).toBe(diverging(-0.5, lightPalette));
    expect(colour('n:1:2')).not.toBe(lightPalette.neutral);
    expect(graphElements(graph(), view({ colourBy: 'none' })).find((e) => e.data.id === 'n:1:1')!.data.color).toBe(lightPalette.neutral);
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  it('collapses big layers by default only in big graphs', () => {
    expect(defaultCollapsed(graph()).size).toBe(0);
    expect([...defaultCollapsed(graph(), 0, 2)]).toEqual(['conv2', 'logits']);
  });
});

describe('search and selection', () => {
  it('finds layers by name or part of it, and filters as layer:k', () => {
    expect(searchGraph(graph(), 'conv2:1')).toEqual({ layers: [], channels: [{ layer: 'conv2', channel: 1 }] });
    expect(searchGraph(graph(), 'CONV2 2')).toEqual({ layers: [], channels: [{ layer: 'conv2', channel: 2 }] });
    expect(searchGraph(graph(), 'conv')).toEqual({ layers: ['conv1', 'conv2'], channels: [] });
    expect(searchGraph(graph(), 'conv2:9')).toEqual({ layers: [], channels: [] });
    expect(searchGraph(graph(), '  ')).toEqual({ layers: [], channels: [] });
  });

  it('turns selected channels into one intervention per layer', () => {
    const sel = [
      { layer: 'conv2', channel: 2 },
      { layer: 'conv1', channel: 0 },
      { layer: 'conv2', channel: 0 },
      { layer: 'conv2', channel: 2 },
    ];
    expect(interventionsOf(sel, 'zero')).toEqual([
      { layer: 'conv2', channels: [0, 2], kind: 'zero' },
      { layer: 'conv1', channels: [0], kind: 'zero' },
    ]);
    expect(interventionsOf(sel.slice(0, 1), 'scale', 0.5)).toEqual([{ layer: 'conv2', channels: [2], kind: 'scale', value: 0.5 }]);
  });
});
