/** `--mode counterfactual|interventional` for the commands that query the SCM (default counterfactual). */
import { type QueryMode, queryModeNames } from '../../shared/choices.js';
import { UsageError } from './cli-error.js';
import { type Flags, optionalString } from './options.js';

export function queryModeFrom(flags: Flags): QueryMode {
  const text = optionalString(flags, 'mode') ?? 'counterfactual';
  if (!(queryModeNames as readonly string[]).includes(text)) throw new UsageError(`--mode must be ${queryModeNames.join(' or ')}, got "${text}"`);
  return text as QueryMode;
}
