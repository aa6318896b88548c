/**
 * Error codes every transport carries unchanged: the renderer decides what to show from `code`,
 * and `message` is one readable line (never a stack trace).
 */
export const errorCodes = [
  'invalid-args',
  'unknown-method',
  'unauthorized',
  'no-project',
  'no-build',
  'not-found',
  'busy',
  'cancelled',
  'failed',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorDto {
  code: ErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorDto {
    return { code: this.code, message: this.message };
  }

  static from(dto: ApiErrorDto): ApiError {
    return new ApiError(errorCodes.includes(dto.code) ? dto.code : 'failed', dto.message);
  }
}

export function isApiErrorDto(value: unknown): value is ApiErrorDto {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorDto).code === 'string' && typeof (value as ApiErrorDto).message === 'string';
}
