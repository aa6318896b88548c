/** The Report view: which sections and projects, the preview, and the last export. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReportExported, ReportFormat, ReportPreview, ReportSectionDto } from '../../../shared/report.js';
import { api } from '../api/index.js';

export const useReportStore = defineStore('report', () => {
  const sections = ref<ReportSectionDto[]>([]);
  /** Picked section ids; the comparison is only offered with other projects. */
  const picked = ref<string[]>([]);
  /** Other projects to compare with the open one. */
  const others = ref<string[]>([]);
  const preview = ref<ReportPreview | null>(null);
  const busy = ref<'' | 'preview' | ReportFormat>('');
  const exported = ref<ReportExported | null>(null);

  async function loadSections() {
    if (sections.value.length) return;
    sections.value = await api()['report.sections']();
    picked.value = sections.value.filter((s) => !s.severalProjects).map((s) => s.id);
  }

  function toggle(list: 'picked' | 'others', value: string) {
    const target = list === 'picked' ? picked : others;
    target.value = target.value.includes(value) ? target.value.filter((v) => v !== value) : [...target.value, value];
  }

  /** The sections to ask for: the comparison only when other projects are chosen. */
  function request(projectDir: string) {
    const projects = [projectDir, ...others.value.filter((d) => d !== projectDir)];
    const ids = sections.value.map((s) => s.id).filter((id) => picked.value.includes(id) && (projects.length > 1 || id !== 'comparison'));
    return { projects, sections: ids };
  }

  async function compose(projectDir: string) {
    busy.value = 'preview';
    try {
      preview.value = await api()['report.compose'](request(projectDir));
    } finally {
      busy.value = '';
    }
  }

  async function exportAs(projectDir: string, format: ReportFormat) {
    busy.value = format;
    try {
      exported.value = await api()['report.export']({ ...request(projectDir), format });
      return exported.value;
    } finally {
      busy.value = '';
    }
  }

  function clear() {
    preview.value = null;
    exported.value = null;
  }

  return { sections, picked, others, preview, busy, exported, loadSections, toggle, request, compose, exportAs, clear };
});
