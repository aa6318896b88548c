/**
 * The WebSocket envelope (Actual Budget's shape): a call `{id, name, args}` is answered by
 * `{id, reply}` or `{id, error}`; events arrive as `{push: {name, payload}}`.
 */
import { z } from 'zod';
import type { ApiErrorDto } from './errors.js';
import type { EventName, Events, MethodName, Results } from './contract.js';

export const callEnvelopeSchema = z
  .object({
    id: z.number().int().nonnegative(),
    name: z.string().min(1).max(100),
    args: z.unknown().optional(),
  })
  .strict();

export type CallEnvelope = z.infer<typeof callEnvelopeSchema>;

export type ReplyEnvelope<M extends MethodName = MethodName> = { id: number; reply: Results[M] } | { id: number; error: ApiErrorDto };

export interface PushEnvelope<E extends EventName = EventName> {
  push: { name: E; payload: Events[E] };
}

export type ServerEnvelope = ReplyEnvelope | PushEnvelope;
