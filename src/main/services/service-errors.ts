/**
 * Turns whatever a service throws into the contract's ApiError: a code the renderer can act on and
 * one readable line (the first line of the message; stacks stay in the main process).
 */
import { ApiError } from '../../shared/errors.js';
import { CancelledError } from '../util/progress.js';
import { ProjectStoreError } from '../store/project-store-error.js';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (error instanceof CancelledError || (error instanceof Error && error.name === 'CancelledError')) return new ApiError('cancelled', message);
  if (error instanceof ProjectStoreError && error.code === 'not-found') return new ApiError('not-found', message);
  if (error instanceof Error && (error as { code?: unknown }).code === 'ENOENT') return new ApiError('not-found', message);
  if (error instanceof Error && error.name === 'ZodError') return new ApiError('invalid-args', message);
  return new ApiError('failed', message);
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 2000);
}
