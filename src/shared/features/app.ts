/** The app itself: its facts, the host's path picker, the web mode's file browser, menu commands. */
import { z } from 'zod';
import type { AppInfo, FileListing } from '../dto.js';
import { event, method } from '../feature.js';
import { noArgs, path } from './common.js';

export const appMethods = {
  'app.info': method<AppInfo>()(noArgs),
  /** The chosen path, or null when the user cancelled (or the host has no picker). */
  'app.pickPath': method<string | null>()(z.object({ kind: z.enum(['file', 'folder']), title: z.string().max(200).optional() }).strict()),
  /** One folder under the web mode's browser roots (home, bundled demos). */
  'files.list': method<FileListing>()(z.object({ dir: path.optional() }).strict().optional()),
};

export const appEvents = {
  /** A menu item asked for an app action (Electron's menu; the renderer runs it like a shortcut). */
  'app.command': event<{ action: string }>(),
};
