/**
 * Keyboard shortcuts: one table, matched against key events. Keys typed into a text field stay
 * there (except Escape), so "/" or "v" in the search box are just characters.
 */
export interface Shortcut {
  /** e.g. "Mod+Z", "Mod+Shift+Z", "F", "/", "?", "Escape". Mod is Ctrl (Cmd on macOS). */
  keys: string;
  action: string;
  description: string;
}

export const shortcuts: Shortcut[] = [
  { keys: 'Mod+Z', action: 'undo', description: 'Undo the last intervention change' },
  { keys: 'Mod+Shift+Z', action: 'redo', description: 'Redo' },
  { keys: 'Mod+Y', action: 'redo', description: 'Redo' },
  { keys: 'Enter', action: 'intervene', description: 'Intervene on the selected filters' },
  { keys: 'V', action: 'verify', description: 'Verify the current intervention on the network' },
  { keys: 'F', action: 'fit', description: 'Zoom the graph to fit' },
  { keys: '/', action: 'search', description: 'Search layers and filters' },
  { keys: 'E', action: 'expand-all', description: 'Expand or collapse the big layers' },
  { keys: 'H', action: 'pan-mode', description: 'Switch between select (drag) and pan' },
  { keys: 'Escape', action: 'clear', description: 'Clear the selection, close dialogs' },
  { keys: 'B', action: 'build', description: 'Build (or resume building) the causal model' },
  { keys: 'T', action: 'theme', description: 'Toggle light and dark theme' },
  { keys: '1', action: 'view-projects', description: 'Projects' },
  { keys: '2', action: 'view-pipeline', description: 'Pipeline' },
  { keys: '3', action: 'view-graph', description: 'Causal graph' },
  { keys: '4', action: 'view-rankings', description: 'Rankings' },
  { keys: '5', action: 'view-compare', description: 'Compare projects' },
  { keys: 'P', action: 'export-pdf', description: 'Report: open it, and there export the PDF' },
  { keys: '?', action: 'help', description: 'Show these shortcuts' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  target?: unknown;
}

function isTextField(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  return tag === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el.type ?? 'text').toLowerCase());
}

/** The action a key event triggers, or undefined. */
export function matchShortcut(event: KeyLike, table: Shortcut[] = shortcuts): string | undefined {
  if (event.altKey) return undefined;
  if (isTextField(event.target) && event.key !== 'Escape') return undefined;
  // Enter on a focused button or link already activates it.
  const tag = (event.target as { tagName?: string } | null)?.tagName?.toUpperCase();
  if (event.key === 'Enter' && (tag === 'BUTTON' || tag === 'A')) return undefined;
  const mod = event.ctrlKey || event.metaKey;
  for (const s of table) {
    const parts = s.keys.split('+');
    const key = parts[parts.length - 1];
    const wantsMod = parts.includes('Mod');
    const wantsShift = parts.includes('Shift');
    if (wantsMod !== mod) continue;
    // Printable symbols ("?", "/") carry their own shift state; only letters are checked for it.
    const letter = /^[A-Z]$/.test(key);
    if (letter && wantsShift !== event.shiftKey) continue;
    if (letter ? event.key.toUpperCase() === key : event.key === key) return s.action;
  }
  return undefined;
}
