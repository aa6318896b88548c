// Loads each native dependency in the runtime that runs this file and uses it once; prints one JSON
// line per module: {name, status: "ok" | "absent" | "failed", detail}. `npm run desktop:setup` runs it
// inside Electron (ELECTRON_RUN_AS_NODE=1), where a module built for another ABI fails to load.
'use strict';

const checks = {
  'better-sqlite3': (m) => `SQLite ${new m(':memory:').prepare('select sqlite_version() as v').get().v}`,
  'onnxruntime-node': (m) => {
    if (typeof m.InferenceSession?.create !== 'function') throw new Error('no InferenceSession.create');
    return `backends ${(m.listSupportedBackends?.() ?? []).map((b) => b.name).join(', ') || 'cpu'}`;
  },
  '@tensorflow/tfjs-node': (m) => `TensorFlow ${m.version?.['tfjs-node'] ?? 'loaded'}`,
  '@tensorflow/tfjs-node-gpu': (m) => `TensorFlow ${m.version?.['tfjs-node-gpu'] ?? 'loaded'}`,
};
const optional = new Set(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);

const runtime = process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.versions.node}`;
for (const [name, use] of Object.entries(checks)) {
  let line;
  try {
    require.resolve(name);
  } catch {
    line = { name, status: 'absent', detail: optional.has(name) ? 'optional, not installed' : 'not installed' };
  }
  if (!line) {
    try {
      line = { name, status: 'ok', detail: `${use(require(name))} in ${runtime}` };
    } catch (error) {
      line = { name, status: 'failed', detail: `${String(error.message).split('\n')[0]} (in ${runtime})` };
    }
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
