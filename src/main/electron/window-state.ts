/**
 * Windows remember their size and place: saved as JSON in the user data folder when they change,
 * restored at start, and pulled back onto a visible display when the screens have changed since.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowState: WindowState = { width: 1400, height: 900, maximized: false };
const minWidth = 900;
const minHeight = 600;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state made safe for the current displays (their work areas). */
export function restoreWindowState(saved: unknown, displays: Area[]): WindowState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<Record<keyof WindowState, unknown>>;
  const largest = displays.reduce<Area | undefined>((a, d) => (!a || d.width * d.height > a.width * a.height ? d : a), undefined);
  const maxW = largest?.width ?? 10_000;
  const maxH = largest?.height ?? 10_000;
  const width = Math.round(Math.min(Math.max(isNumber(s.width) ? s.width : defaultWindowState.width, minWidth), Math.max(minWidth, maxW)));
  const height = Math.round(Math.min(Math.max(isNumber(s.height) ? s.height : defaultWindowState.height, minHeight), Math.max(minHeight, maxH)));
  const state: WindowState = { width, height, maximized: s.maximized === true };
  const x = s.x;
  const y = s.y;
  if (isNumber(x) && isNumber(y)) {
    // Keep the position only if the title bar would be on some display.
    const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50);
    if (visible) Object.assign(state, { x: Math.round(x), y: Math.round(y) });
  }
  return state;
}

export function readWindowState(file: string, displays: Area[]): WindowState {
  try {
    return restoreWindowState(JSON.parse(readFileSync(file, 'utf8')), displays);
  } catch {
    return restoreWindowState(undefined, displays);
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state)}\n`);
}

/** Something with window bounds events (a BrowserWindow, or a fake in tests). */
export interface TrackedWindow {
  getNormalBounds(): Area;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
}

/** Saves the window's state after it stops changing for `delayMs`, and when it closes. */
export function trackWindowState(win: TrackedWindow, save: (state: WindowState) => void, delayMs = 400): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const snapshot = (): WindowState => ({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => save(snapshot()), delayMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    clearTimeout(timer);
    save(snapshot());
  });
}
