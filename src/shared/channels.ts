/**
 * Electron IPC names and the error wrapping IPC needs (no runtime dependencies, so the sandboxed
 * preload can import it). Every method is invoked on the channel of its own name; events arrive on
 * `pushChannel`. Errors crossing contextBridge keep only their message, so the preload carries the
 * ApiError's code inside it and the renderer unwraps it again.
 */
import type { ApiErrorDto } from './errors.js';

export const pushChannel = 'causeway:push';

/** The name under which the preload exposes the API on `window`. */
export const bridgeName = 'causeway';

/** What main answers an IPC call with (a thrown error would lose its code on the way). */
export type IpcAnswer = { reply: unknown } | { error: ApiErrorDto };

const marker = 'causeway-error:';

export function encodeIpcError(error: ApiErrorDto): string {
  return `${marker}${JSON.stringify(error)}`;
}

/** The ApiErrorDto inside an error message made by encodeIpcError, if it is one. */
export function decodeIpcError(message: string): ApiErrorDto | undefined {
  const at = message.indexOf(marker);
  if (at < 0) return undefined;
  try {
    const dto = JSON.parse(message.slice(at + marker.length)) as ApiErrorDto;
    return typeof dto.code === 'string' && typeof dto.message === 'string' ? dto : undefined;
  } catch {
    return undefined;
  }
}
