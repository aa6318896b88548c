/**
 * Registers one IPC handler per contract method (generated from the contract, Heynote-style: the
 * caller passes what Electron provides, so tests pass a fake). Every call is checked before use:
 * the sender frame must be our own renderer, the arguments must match the method's zod schema.
 * Answers are {reply} or {error} envelopes: a thrown error would lose its code crossing IPC.
 */
import type { IpcAnswer } from '../../shared/channels.js';
import { type ApiHandlers, methodNames } from '../../shared/contract.js';
import { ApiError } from '../../shared/errors.js';
import { dispatch } from '../services/dispatch.js';

/** The part of Electron's ipcMain this needs. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcEventLike {
  senderFrame?: { url: string } | null;
}

export function registerIpc(ipc: IpcMainLike, handlers: ApiHandlers, isTrustedUrl: (url: string) => boolean): () => void {
  for (const name of methodNames) {
    ipc.handle(name, async (event, args): Promise<IpcAnswer> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) return { error: new ApiError('unauthorized', `IPC from an untrusted page (${url.slice(0, 200) || 'unknown'}) refused`).toJSON() };
      try {
        return { reply: (await dispatch(handlers, name, args)) ?? null };
      } catch (error) {
        return { error: (error instanceof ApiError ? error : new ApiError('failed', String(error))).toJSON() };
      }
    });
  }
  return () => {
    for (const name of methodNames) ipc.removeHandler(name);
  };
}
