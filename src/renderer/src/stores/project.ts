/** The open project, recent projects, and creating a project (with its preview). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NodeLayerFamily } from '../../../shared/choices.js';
import type { PreprocessingDto, ProjectInfo, ProjectPreview, RecentProject } from '../../../shared/dto.js';
import { api } from '../api/index.js';

export interface NewProjectForm {
  dir: string;
  modelPath: string;
  dataPath: string;
  preprocessing: PreprocessingDto;
  split?: 'train' | 'test';
  name?: string;
  /** Layer families whose channels become SCM variables (default conv). */
  nodeLayers?: NodeLayerFamily[];
}

export const useProjectStore = defineStore('project', () => {
  const current = ref<ProjectInfo | null>(null);
  const recent = ref<RecentProject[]>([]);
  const preview = ref<ProjectPreview | null>(null);
  const busy = ref<'opening' | 'previewing' | 'creating' | null>(null);

  api().on('project.changed', (project) => {
    current.value = project;
  });

  async function loadCurrent() {
    current.value = await api()['projects.current']();
  }

  async function loadRecent() {
    recent.value = await api()['projects.recent']();
  }

  async function withBusy<T>(what: NonNullable<typeof busy.value>, fn: () => Promise<T>): Promise<T> {
    busy.value = what;
    try {
      return await fn();
    } finally {
      busy.value = null;
    }
  }

  async function open(dir: string) {
    current.value = await withBusy('opening', () => api()['projects.open']({ dir }));
    await loadRecent();
    return current.value;
  }

  async function openDemo(name?: string) {
    current.value = await withBusy('opening', () => api()['projects.openDemo'](name ? { name } : {}));
    await loadRecent();
    return current.value;
  }

  async function previewNew(form: NewProjectForm) {
    preview.value = null;
    const { modelPath, dataPath, preprocessing, split } = form;
    preview.value = await withBusy('previewing', () => api()['projects.preview']({ modelPath, dataPath, preprocessing, ...(split ? { split } : {}) }));
    return preview.value;
  }

  async function create(form: NewProjectForm) {
    const result = await withBusy('creating', () => api()['projects.create']({ ...form, ...(form.name ? {} : { name: undefined }) }));
    current.value = result.project;
    preview.value = result.preview;
    await loadRecent();
    return result.project;
  }

  async function close() {
    await api()['projects.close']();
    current.value = null;
  }

  return { current, recent, preview, busy, loadCurrent, loadRecent, open, openDemo, previewNew, create, close };
});
