/**
 * A real web-mode server in its own process for the fuzz test: the production startWebServer with
 * two stub methods, so a frame that kills the server shows as this process exiting. Prints
 * `port N` once listening and every log line it writes to stderr.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHandlers } from '../../../src/shared/contract.js';
import { EventHub } from '../../../src/main/server/event-hub.js';
import { startWebServer } from '../../../src/main/server/web-server.js';

const handlers = {
  'app.info': async () => ({ version: 'fuzz', backend: 'cpu', backendReason: 'test', userDataDir: '/x', demos: [], canPickPaths: false, evaluationAvailable: false }),
  'graph.channel': async (args: { layer: string; channel: number }) => {
    // A slow method, so in-flight limits can be reached.
    if (args.layer === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
    return { layer: args.layer, channel: args.channel };
  },
} as unknown as ApiHandlers;

const root = join(mkdtempSync(join(tmpdir(), 'causeway-fuzz-')), 'renderer');
mkdirSync(root, { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
const server = await startWebServer({ handlers, hub: new EventHub(), rendererDir: root, token: 'tok-fuzz' });
process.stdout.write(`port ${server.port}\n`);
