/**
 * The application menu as a template (plain data, tested without Electron). Items that act in the
 * renderer send an app command; the renderer runs it as it runs the matching shortcut.
 */
export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator';
  accelerator?: string;
  submenu?: MenuItem[];
  click?: () => void;
}

export function menuTemplate(command: (action: string) => void, isMac: boolean): MenuItem[] {
  const item = (label: string, action: string, accelerator?: string): MenuItem => ({ label, accelerator, click: () => command(action) });
  const sep: MenuItem = { type: 'separator' };
  return [
    ...(isMac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [item('Projects…', 'view-projects', 'CmdOrCtrl+O'), item('Build the causal model', 'build', 'CmdOrCtrl+B'), sep, { role: isMac ? 'close' : 'quit' }],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo intervention', 'undo', 'CmdOrCtrl+Z'),
        item('Redo intervention', 'redo', 'CmdOrCtrl+Shift+Z'),
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Projects', 'view-projects', 'CmdOrCtrl+1'),
        item('Pipeline', 'view-pipeline', 'CmdOrCtrl+2'),
        item('Causal graph', 'view-graph', 'CmdOrCtrl+3'),
        item('Rankings', 'view-rankings', 'CmdOrCtrl+4'),
        item('Compare', 'view-compare', 'CmdOrCtrl+5'),
        sep,
        item('Zoom graph to fit', 'fit'),
        item('Toggle dark theme', 'theme'),
        sep,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', submenu: [item('Keyboard shortcuts', 'help')] },
  ];
}
