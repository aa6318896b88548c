// @vitest-environment happy-dom
/** The report preview's style hand-over: styles leave the HTML before it enters the frame (the app's CSP would block them) and nothing else changes. */
import { describe, expect, it } from 'vitest';
import { matchShortcut } from '../../../src/renderer/src/util/shortcuts.js';
import { splitReportStyles } from '../../../src/renderer/src/util/report-frame.js';

describe('splitReportStyles', () => {
  it('takes every <style> out and moves style attributes aside, keeping the content', () => {
    const html = '<!doctype html><html><head><meta charset="utf-8"><style>h1{color:red}</style></head><body><h1>Report</h1><svg style="user-select:none"><rect fill="#000"/></svg><style>p{margin:0}</style><p style="color:blue">73.5%</p></body></html>';
    const { html: out, css } = splitReportStyles(html);
    expect(css).toBe('h1{color:red}\np{margin:0}');
    expect(out).not.toMatch(/<style|\sstyle=/);
    expect(out).toContain('data-report-style="user-select:none"');
    expect(out).toContain('data-report-style="color:blue">73.5%</p>');
    expect(out).toContain('<h1>Report</h1>');
    expect(out.startsWith('<!doctype html><html><head><meta charset="utf-8"></head>')).toBe(true);
  });
});

describe('the report shortcut', () => {
  it('P exports (or opens the Report view), but not while typing', () => {
    const key = (k: string, target?: unknown) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target });
    expect(matchShortcut(key('p'))).toBe('export-pdf');
    expect(matchShortcut(key('p', { tagName: 'INPUT', type: 'text' }))).toBeUndefined();
  });
});
