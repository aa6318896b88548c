// Worker entry when Causeway runs from TypeScript source (tsx, vitest): registers the TypeScript
// loader in this thread, then loads the real worker. Built apps start the compiled worker directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
