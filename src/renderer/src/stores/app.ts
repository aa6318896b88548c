/** App-wide state: backend info, the current view, theme, connection and notices. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../../shared/dto.js';
import { api } from '../api/index.js';

import type { ViewName } from '../views/registry.js';

export type { ViewName };
export type Theme = 'light' | 'dark';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

const themeKey = 'causeway.theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(themeKey);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const view = ref<ViewName>('projects');
  const theme = ref<Theme>(initialTheme());
  const connected = ref(true);
  const helpOpen = ref(false);
  const notices = ref<Notice[]>([]);
  let nextNotice = 1;

  function applyTheme() {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme.value;
  }

  function toggleTheme() {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
    globalThis.localStorage?.setItem(themeKey, theme.value);
    applyTheme();
  }

  function notify(what: unknown, kind: Notice['kind'] = 'error') {
    const text = what instanceof Error ? what.message : String(what);
    const id = nextNotice++;
    // The same message again replaces the old one instead of stacking up.
    notices.value = [...notices.value.filter((n) => n.text !== text).slice(-3), { id, kind, text }];
    if (kind === 'info') setTimeout(() => dismiss(id), 5000);
  }

  function dismiss(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  /** Runs an action; a failure becomes a notice instead of an unhandled rejection. */
  async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      notify(error);
      return undefined;
    }
  }

  async function loadInfo() {
    info.value = await api()['app.info']();
  }

  applyTheme();
  return { info, view, theme, connected, helpOpen, notices, toggleTheme, notify, dismiss, attempt, loadInfo, applyTheme };
});
