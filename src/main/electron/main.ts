/**
 * The desktop app's main process: one window, the services behind IPC, the menu. Only this folder
 * imports Electron; everything it wires is plain code tested without it.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pushChannel } from '../../shared/channels.js';
import type { EventSink } from '../../shared/contract.js';
import { AppService, handlers } from '../services/app-service.js';
import { bundledResourcesDir } from './app-paths.js';
import { registerIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { askReportPath, printHtmlToPdf } from './print-report.js';
import { hardenEveryContents, hardenSession, secureWebPreferences, trustedUrlCheck } from './security.js';
import { readWindowState, trackWindowState, writeWindowState } from './window-state.js';

const devServer = process.env.ELECTRON_RENDERER_URL;
const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
const isTrusted = trustedUrlCheck(pathToFileURL(rendererIndex).href, devServer);
let mainWindow: BrowserWindow | null = null;

const emit: EventSink = (name, payload) => {
  for (const win of BrowserWindow.getAllWindows()) win.webContents.send(pushChannel, { name, payload });
};

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = readWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Causeway',
    backgroundColor: '#101113',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, (s) => writeWindowState(stateFile, s));
  // Navigation and permission rules come from hardenEveryContents ('web-contents-created').
  win.once('ready-to-show', () => win.show());
  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(rendererIndex);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, devServer !== undefined);
  hardenEveryContents(app, isTrusted, (url) => void shell.openExternal(url));
  const service = new AppService({
    userDataDir: app.getPath('userData'),
    resourcesDir: bundledResourcesDir(app),
    emit,
    host: {
      pickPath: async ({ kind, title }) => {
        const options = { title, properties: [kind === 'folder' ? ('openDirectory' as const) : ('openFile' as const), 'createDirectory' as const] };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      savePath: (defaultPath, format) => askReportPath((o) => (mainWindow ? dialog.showSaveDialog(mainWindow, o) : dialog.showSaveDialog(o)), defaultPath, format),
      printPdf: (html, options) => printHtmlToPdf(html, options, (o) => new BrowserWindow(o)),
    },
  });
  registerIpc(ipcMain, handlers(service), isTrusted);
  const command = (action: string) => emit('app.command', { action });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(command, process.platform === 'darwin') as Electron.MenuItemConstructorOptions[]));
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => void service.dispose());
}

// The renderer never needs Node; no other app instance should open the same projects at once.
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  void start();
}
