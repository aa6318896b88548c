// Loads the built main process (CAUSEWAY_BUNDLE, e.g. out/main/index.js) in plain Node with the
// electron stand-in (run with `node --import ./electron-stand-in/register.mjs`), then drives its IPC
// handlers as the renderer would: app info, open the demo project, build it (a worker-thread job),
// one do-query, a report saved as HTML. Prints one line `DRIVE-RESULT {json}` with the answers and
// what the stand-in recorded; the test (bundle.test.ts) checks them.
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, recorded } from 'electron';

const pushChannel = 'causeway:push';
const bundle = process.env.CAUSEWAY_BUNDLE;
const steps = [];

async function waitFor(what, check, timeoutMs) {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

async function main() {
  await import(pathToFileURL(bundle).href);
  const win = await waitFor('the main window and the IPC handlers', () => recorded.ipc.has('app.info') && BrowserWindow.getAllWindows()[0], 30_000);
  const pageUrl = pathToFileURL(win.loaded[0]?.file ?? '').href;
  const invoke = async (name, args, url = pageUrl) => {
    const listener = recorded.ipc.get(name);
    if (!listener) throw new Error(`no IPC handler for ${name}`);
    return listener({ senderFrame: { url } }, args);
  };
  const call = async (name, args) => {
    const answer = await invoke(name, args);
    steps.push(name);
    if ('error' in answer) throw new Error(`${name} answered ${JSON.stringify(answer.error)}`);
    return answer.reply;
  };
  const pushed = () => win.webContents.sent.filter((s) => s.channel === pushChannel).map((s) => s.message);

  const info = await call('app.info');
  const demo = await call('projects.openDemo');
  const { jobId } = await call('build.start', { settings: { limit: 200, augmentImages: 100 } });
  const end = await waitFor(`build job ${jobId}`, () => pushed().find((e) => (e.name === 'job.done' || e.name === 'job.failed') && e.payload.jobId === jobId), 240_000);
  const progressSteps = [...new Set(pushed().filter((e) => e.name === 'job.progress' && e.payload.jobId === jobId).map((e) => e.payload.step))];
  const current = await call('projects.current');
  const query = await call('query.run', { interventions: [{ layer: 'conv1', channels: [0, 2], kind: 'zero' }], save: false });
  const report = await call('report.export', { projects: [demo.dir], format: 'html' });
  const untrusted = await invoke('app.info', undefined, 'https://evil.example/');

  return {
    handlers: [...recorded.ipc.keys()],
    calls: recorded.calls,
    windows: recorded.windows.map((w) => ({ options: w.options, loaded: w.loaded })),
    menuLabels: recorded.menu?.template.map((m) => m.label ?? m.role) ?? null,
    sessions: recorded.sessions.map((s) => ({ name: s.name, permissionHandler: s.permissionHandler !== null, headerListeners: s.headerListeners.length })),
    dialogs: recorded.dialogs,
    info,
    demo,
    build: { end, progressSteps, current },
    query,
    report,
    untrusted,
  };
}

main().then(
  (result) => {
    process.stdout.write(`DRIVE-RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`drive-bundle failed after [${steps.join(', ')}]: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
