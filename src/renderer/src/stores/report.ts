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

  /**
   * Until the user ticks or unticks a section, the report has the services' default: every section
   * that applies to what the projects have stored (no S2/S3/S4 section for a project without such
   * results; the comparison with other projects).
   */
  const userPicked = ref(false);

  async function loadSections() {
    if (sections.value.length) return;
    sections.value = await api()['report.sections']();
    if (!userPicked.value) picked.value = sections.value.filter((s) => !s.severalProjects && !['pixel-effects', 'properties', 'explanations'].includes(s.id)).map((s) => s.id);
  }

  function toggle(list: 'picked' | 'others', value: string) {
    const target = list === 'picked' ? picked : others;
    target.value = target.value.includes(value) ? target.value.filter((v) => v !== value) : [...target.value, value];
    if (list === 'picked') userPicked.value = true;
    // Another project to compare with is asked for to be compared: the comparison ticks itself (and
    // goes when the last one is unticked).
    else if (others.value.length > 0 && !picked.value.includes('comparison')) picked.value = [...picked.value, 'comparison'];
    else if (others.value.length === 0) picked.value = picked.value.filter((id) => id !== 'comparison');
  }

  /** A new project: the default sections again, nobody to compare with. */
  function resetPicks() {
    userPicked.value = false;
    others.value = [];
    picked.value = sections.value.filter((s) => !s.severalProjects && !['pixel-effects', 'properties', 'explanations'].includes(s.id)).map((s) => s.id);
  }

  /** The sections to ask for: the comparison only when other projects are chosen; the default until the user picks. */
  function request(projectDir: string) {
    const projects = [projectDir, ...others.value.filter((d) => d !== projectDir)];
    if (!userPicked.value) return { projects };
    const ids = sections.value.map((s) => s.id).filter((id) => picked.value.includes(id) && (projects.length > 1 || id !== 'comparison'));
    return { projects, sections: ids };
  }

  async function compose(projectDir: string) {
    busy.value = 'preview';
    try {
      preview.value = await api()['report.compose'](request(projectDir));
      if (!userPicked.value) picked.value = [...preview.value.sections];
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

  return { sections, picked, others, preview, busy, exported, userPicked, loadSections, toggle, resetPicks, request, compose, exportAs, clear };
});
