// Module resolution hook: `electron` is the stand-in beside this file.
import { URL } from 'node:url';

const standIn = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}
