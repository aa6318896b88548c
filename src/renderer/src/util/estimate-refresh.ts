/**
 * The estimate beside a Build or Evaluate button, kept fresh: asked again 400 ms after its inputs last
 * changed (typing a setting asks once), only while `ready`; a failed estimate keeps the last one shown.
 */
import { onBeforeUnmount, watch } from 'vue';

export function useEstimateRefresh(inputs: () => unknown, ready: () => boolean, refresh: () => Promise<unknown>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    inputs,
    () => {
      clearTimeout(timer);
      if (!ready()) return;
      timer = setTimeout(() => void refresh().catch(() => undefined), 400);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => clearTimeout(timer));
}
