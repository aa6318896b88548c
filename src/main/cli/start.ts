/**
 * `npm start`: opens the desktop app (Electron) when its binary is installed; otherwise says so in
 * one line and starts the web mode, printing the URL to open.
 */
import { launch } from '../server/launcher.js';

launch(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: Error) => {
    process.stderr.write(`causeway: ${error.message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
