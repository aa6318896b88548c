/**
 * `npm run serve [-- --port N] [--no-token]`: Causeway in the browser. Binds 127.0.0.1 only and prints
 * the URL to open; its random token is what lets a browser tab in.
 */
import { parseArgs } from 'node:util';
import { startWebMode } from './web-mode.js';

export async function serve(argv: string[], intro?: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'no-token': { type: 'boolean' } },
    strict: true,
  });
  const port = values.port === undefined ? 5317 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0–65535), not ${values.port}`);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (intro) say(intro);
  const web = await startWebMode({ port, host: values.host, token: values['no-token'] ? false : undefined, say }).catch(async (error: NodeJS.ErrnoException) => {
    // The default port may be taken (another Causeway): take any free one instead.
    if (error.code === 'EADDRINUSE' && values.port === undefined) return startWebMode({ port: 0, host: values.host, token: values['no-token'] ? false : undefined, say });
    throw error;
  });
  say(`Causeway is running at ${web.url}`);
  if (!web.token) say('warning: --no-token: any program on this computer can use this Causeway');
  say('Open it in a browser; press Ctrl+C to stop.');
  const stop = () => {
    void web.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
