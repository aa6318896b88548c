// Loaded with `node --import`: every `import … from 'electron'` (in the bundle and in its worker
// threads, which inherit --import) gets the recorded stand-in instead of the electron package.
import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./hooks.mjs', import.meta.url));
