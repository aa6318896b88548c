/** The S4 panel: chosen images and properties, the running audit (progress, cancel), its result and one curve. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ImageThumbs } from '../../../shared/analysis.js';
import type { PropertyAuditDto, PropertyCurveView, PropertyKindDto } from '../../../shared/properties.js';
import { useLensJob } from '../analysis/lens-job.js';
import { api } from '../api/index.js';

export const usePropertiesStore = defineStore('properties', () => {
  const kinds = ref<PropertyKindDto[]>([]);
  const thumbs = ref<ImageThumbs | null>(null);
  const images = ref<number[]>([]);
  /** Property specs, e.g. "brightness" or "patch:color=ff0000". */
  const properties = ref<string[]>(['brightness']);
  const steps = ref(32);
  const permutations = ref(200);
  const job = useLensJob();
  const result = ref<PropertyAuditDto | null>(null);
  const curve = ref<PropertyCurveView | null>(null);

  async function load() {
    if (!kinds.value.length) kinds.value = await api()['properties.kinds']();
    thumbs.value = await api()['pixelEffects.images']({ offset: 0, count: 24 });
    if (images.value.length === 0) images.value = thumbs.value.images.slice(0, 6).map((i) => i.index);
  }

  function toggleImage(index: number) {
    images.value = images.value.includes(index) ? images.value.filter((i) => i !== index) : [...images.value, index];
  }

  async function run() {
    curve.value = null;
    result.value = await job.run((jobId) => api()['properties.run']({ jobId, properties: properties.value, indices: images.value, steps: steps.value, permutations: permutations.value }));
  }

  async function openCurve(property: string, index: number) {
    curve.value = await api()['properties.curve']({ property, index, steps: steps.value, permutations: permutations.value });
  }

  function clear() {
    thumbs.value = null;
    images.value = [];
    result.value = null;
    curve.value = null;
  }

  return { kinds, thumbs, images, properties, steps, permutations, job, result, curve, load, toggleImage, run, openCurve, clear };
});
