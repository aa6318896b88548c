/** Projects side by side: which ones, and their rows. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CompareRow } from '../../../shared/dto.js';
import { api } from '../api/index.js';

export const useCompareStore = defineStore('compare', () => {
  const dirs = ref<string[]>([]);
  const rows = ref<CompareRow[]>([]);
  const loading = ref(false);

  function toggle(dir: string) {
    dirs.value = dirs.value.includes(dir) ? dirs.value.filter((d) => d !== dir) : [...dirs.value, dir];
  }

  async function load() {
    if (dirs.value.length === 0) {
      rows.value = [];
      return;
    }
    loading.value = true;
    try {
      rows.value = await api()['compare.get']({ dirs: dirs.value });
    } finally {
      loading.value = false;
    }
  }

  return { dirs, rows, loading, toggle, load };
});
