// A stand-in for the `electron` module with the parts Causeway's main process uses, each recording
// what it was asked, so a test can load the built bundle (out/main/index.js) in plain Node and drive
// it. The app's folders come from the environment: CAUSEWAY_STANDIN_APP_PATH (what app.getAppPath()
// answers), CAUSEWAY_STANDIN_USER_DATA, CAUSEWAY_STANDIN_SAVE_DIR (where the save dialog says yes),
// CAUSEWAY_STANDIN_PACKAGED=1 with CAUSEWAY_STANDIN_RESOURCES_PATH (a packaged app's process.resourcesPath).
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setImmediate } from 'node:timers';

const env = process.env;
export const recorded = { calls: [], windows: [], menu: null, ipc: new Map(), sessions: [], dialogs: [] };
const note = (what, detail) => recorded.calls.push(detail === undefined ? what : `${what} ${detail}`);

if (env.CAUSEWAY_STANDIN_PACKAGED === '1') process.resourcesPath = env.CAUSEWAY_STANDIN_RESOURCES_PATH;

class StandInApp extends EventEmitter {
  isPackaged = env.CAUSEWAY_STANDIN_PACKAGED === '1';
  whenReady() {
    note('app.whenReady');
    return Promise.resolve();
  }
  getPath(name) {
    if (name !== 'userData') throw new Error(`the stand-in knows only app.getPath('userData'), not '${name}'`);
    return env.CAUSEWAY_STANDIN_USER_DATA;
  }
  getAppPath() {
    return env.CAUSEWAY_STANDIN_APP_PATH;
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  enableSandbox() {
    note('app.enableSandbox');
  }
  requestSingleInstanceLock() {
    note('app.requestSingleInstanceLock');
    return true;
  }
  quit() {
    note('app.quit');
  }
}
export const app = new StandInApp();

class StandInContents extends EventEmitter {
  sent = [];
  windowOpenHandler = null;
  send(channel, message) {
    this.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  async printToPDF() {
    return new Uint8Array(Buffer.from('%PDF-1.4 stand-in\n'));
  }
}

export class BrowserWindow extends EventEmitter {
  static all = [];
  static getAllWindows() {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  constructor(options) {
    super();
    this.options = options;
    this.loaded = [];
    this.destroyed = false;
    this.webContents = new StandInContents();
    // As Electron does: the contents get their session, then the app hears 'web-contents-created'.
    const partition = options?.webPreferences?.partition;
    this.webContents.session = partition ? session.fromPartition(partition) : session.defaultSession;
    app.emit('web-contents-created', {}, this.webContents);
    BrowserWindow.all.push(this);
    recorded.windows.push(this);
  }
  async loadFile(path) {
    // Electron fails the load when the file is missing; so does the stand-in.
    this.loaded.push({ file: path, exists: existsSync(path) });
    if (!existsSync(path)) throw new Error(`ERR_FILE_NOT_FOUND: ${path}`);
    setImmediate(() => this.emit('ready-to-show'));
  }
  async loadURL(url) {
    this.loaded.push({ url });
  }
  show() {
    note('window.show');
  }
  maximize() {}
  isMaximized() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  getNormalBounds() {
    return { x: 0, y: 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }
  destroy() {
    this.destroyed = true;
  }
}

export const ipcMain = {
  handle(channel, listener) {
    if (recorded.ipc.has(channel)) throw new Error(`a second handler for ${channel}`);
    recorded.ipc.set(channel, listener);
  },
  removeHandler(channel) {
    recorded.ipc.delete(channel);
  },
};

export const dialog = {
  async showOpenDialog(...args) {
    recorded.dialogs.push({ kind: 'open', options: args.at(-1) });
    return { canceled: true, filePaths: [] };
  },
  async showSaveDialog(...args) {
    const options = args.at(-1);
    recorded.dialogs.push({ kind: 'save', options });
    const name = options.defaultPath.split(/[\\/]/).pop();
    return { canceled: false, filePath: join(env.CAUSEWAY_STANDIN_SAVE_DIR, name) };
  },
};

function standInSession(name) {
  const s = {
    name,
    permissionHandler: null,
    permissionCheckHandler: null,
    headerListeners: [],
    setPermissionRequestHandler(handler) {
      s.permissionHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      s.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener) {
        s.headerListeners.push(listener);
      },
    },
  };
  recorded.sessions.push(s);
  return s;
}
export const session = { defaultSession: standInSession('default'), fromPartition: (p) => standInSession(p) };

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    recorded.menu = menu;
  },
};

export const shell = {
  async openExternal(url) {
    note('shell.openExternal', url);
  },
};

export const screen = {
  getAllDisplays() {
    return [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  },
};

export const utilityProcess = {
  fork() {
    throw new Error('the stand-in has no utilityProcess.fork (Causeway runs its jobs in worker threads)');
  },
};

export default { app, BrowserWindow, ipcMain, dialog, session, Menu, shell, screen, utilityProcess };
