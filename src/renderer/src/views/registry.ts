/**
 * Every view of the app, declared once: its name, its tab (label, shortcut key), whether it needs an
 * open project, and its component. The top bar's tabs and the shell's current view read this list;
 * a new lens adds its view here (docs/ARCHITECTURE.md, "Adding a lens").
 */
import type { Component } from 'vue';
import CompareView from './CompareView.vue';
import GraphView from './GraphView.vue';
import PipelineView from './PipelineView.vue';
import PixelEffectsView from './PixelEffectsView.vue';
import ProjectsView from './ProjectsView.vue';
import PropertiesView from './PropertiesView.vue';
import RankingsView from './RankingsView.vue';
import ReportView from './ReportView.vue';

export interface ViewEntry {
  name: string;
  label: string;
  /** The shortcut shown beside the label ('' for none). */
  key: string;
  needsProject: boolean;
  component: Component;
}

export const views = [
  { name: 'projects', label: 'Projects', key: '1', needsProject: false, component: ProjectsView },
  { name: 'pipeline', label: 'Pipeline', key: '2', needsProject: true, component: PipelineView },
  { name: 'graph', label: 'Causal graph', key: '3', needsProject: true, component: GraphView },
  { name: 'rankings', label: 'Rankings', key: '4', needsProject: true, component: RankingsView },
  { name: 'compare', label: 'Compare', key: '5', needsProject: false, component: CompareView },
  { name: 'pixel-effects', label: 'Pixel effects', key: '', needsProject: true, component: PixelEffectsView },
  { name: 'properties', label: 'Properties', key: '', needsProject: false, component: PropertiesView },
  { name: 'report', label: 'Report', key: 'P', needsProject: true, component: ReportView },
] as const satisfies readonly ViewEntry[];

export type ViewName = (typeof views)[number]['name'];
