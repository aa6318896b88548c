/**
 * The renderer's API: Electron's preload bridge when there is one, otherwise the WebSocket of web
 * mode (same origin, token from the page URL). Nothing else in the renderer knows which it has.
 */
import { bridgeName, decodeIpcError } from '../../../shared/channels.js';
import type { CausewayApi, MethodName } from '../../../shared/contract.js';
import { ApiError } from '../../../shared/errors.js';
import { bridgeApi } from './bridge.js';
import { createWebSocketApi } from './websocket-api.js';

let current: CausewayApi | undefined;

/** The preload's API with its errors turned back into ApiErrors (contextBridge keeps only messages). */
export function fromPreload(raw: CausewayApi): CausewayApi {
  const call = (name: MethodName, args: unknown) =>
    (raw[name] as (a: unknown) => Promise<unknown>)(args).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const dto = decodeIpcError(message);
      throw dto ? ApiError.from(dto) : new ApiError('failed', message);
    });
  return bridgeApi(call, raw.on);
}

export function connectApi(onConnectionChange?: (connected: boolean) => void): CausewayApi {
  const preload = (window as unknown as Record<string, CausewayApi | undefined>)[bridgeName];
  if (preload) return (current = fromPreload(preload));
  const token = new URL(window.location.href).searchParams.get('token');
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return (current = createWebSocketApi(url, { onConnectionChange }));
}

/** The API the stores use; tests install a fake with setApi. */
export function api(): CausewayApi {
  if (!current) throw new Error('the API is not connected yet');
  return current;
}

export function setApi(value: CausewayApi | undefined): void {
  current = value;
}
