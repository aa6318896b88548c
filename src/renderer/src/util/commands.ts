/**
 * Named actions that shortcuts, menu items and buttons trigger: a view registers what it can do while
 * it is mounted (the graph registers "fit", "search", …), the app registers the global ones.
 */
type Handler = () => void | Promise<void>;

const handlers = new Map<string, Handler[]>();

/** Registers a handler; returns the function that removes it. */
export function onCommand(action: string, handler: Handler): () => void {
  handlers.set(action, [...(handlers.get(action) ?? []), handler]);
  return () => handlers.set(action, (handlers.get(action) ?? []).filter((h) => h !== handler));
}

/** Runs every handler of `action`, newest first (Escape both closes dialogs and clears the selection); false when none. */
export function runCommand(action: string): boolean {
  const list = handlers.get(action);
  if (!list?.length) return false;
  for (const handler of [...list].reverse()) void handler();
  return true;
}
