/** `--mode counterfactual|interventional` for the commands that query the SCM (default counterfactual). */
import { type QueryMode, queryModes } from '../scm/query-mode.js';
import { UsageError } from './cli-error.js';
import { type Flags, optionalString } from './options.js';

export function queryModeFrom(flags: Flags): QueryMode {
  const text = optionalString(flags, 'mode') ?? 'counterfactual';
  if (!(queryModes as readonly string[]).includes(text)) throw new UsageError(`--mode must be ${queryModes.join(' or ')}, got "${text}"`);
  return text as QueryMode;
}
