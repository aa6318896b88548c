/** Readable numbers and the shortcut table. */
import { describe, expect, it } from 'vitest';
import { compactRanges, count, duration, interventionLabel, percent, points, sig } from '../../../src/renderer/src/util/format.js';
import { matchShortcut } from '../../../src/renderer/src/util/shortcuts.js';

describe('format', () => {
  it('writes fractions as percentages and changes as signed percentage points', () => {
    expect(percent(0.8125)).toBe('81.3%');
    expect(percent(1, 0)).toBe('100%');
    expect(percent(Number.NaN)).toBe('—');
    expect(points(0.625, 0.8)).toBe('−17.5 pp');
    expect(points(0.85, 0.8)).toBe('+5.0 pp');
    expect(points(0.8, 0.8, 0)).toBe('0 pp');
    expect(points(0.8000001, 0.8)).toBe('0.0 pp');
    expect(points(null, 0.8)).toBe('—');
  });

  it('writes durations, counts and significant digits', () => {
    expect(duration(3.21)).toBe('3.2 s');
    expect(duration(45.4)).toBe('45 s');
    expect(duration(125)).toBe('2 min 05 s');
    expect(duration(3725)).toBe('1 h 02 min');
    expect(duration(undefined)).toBe('—');
    expect(count(5514)).toBe('5,514');
    expect(sig(0.0012345)).toBe('0.00123');
    expect(sig(27.8257)).toBe('27.8');
    expect(sig(-0.346217)).toBe('−0.346');
    expect(sig(1234567)).toBe('1.23e+6');
    expect(sig(0)).toBe('0');
  });

  it('writes interventions as people do', () => {
    expect(compactRanges([7, 1, 2, 3, 9, 10, 3])).toBe('1–3, 7, 9, 10');
    expect(interventionLabel({ layer: 'conv2', channels: [1, 4, 7], kind: 'zero' })).toBe('conv2: 1, 4, 7 = 0');
    expect(interventionLabel({ layer: 'conv2', channels: [3], kind: 'scale', value: 0.5 })).toBe('conv2: 3 × 0.5');
    expect(interventionLabel({ layer: 'conv2', channels: [3], kind: 'constant', value: 2 })).toBe('conv2: 3 := 2');
    expect(interventionLabel({ layer: 'conv1', channels: [0], kind: 'constant', value: -1.25 })).toBe('conv1: 0 := −1.25');
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}, target?: unknown) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    target,
    ...mods,
  });

  it('maps the common keys to actions', () => {
    expect(matchShortcut(key('z', { ctrlKey: true }))).toBe('undo');
    expect(matchShortcut(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(matchShortcut(key('z', { metaKey: true }))).toBe('undo');
    expect(matchShortcut(key('y', { ctrlKey: true }))).toBe('redo');
    expect(matchShortcut(key('f'))).toBe('fit');
    expect(matchShortcut(key('/'))).toBe('search');
    expect(matchShortcut(key('v'))).toBe('verify');
    expect(matchShortcut(key('?', { shiftKey: true }))).toBe('help');
    expect(matchShortcut(key('3'))).toBe('view-graph');
    expect(matchShortcut(key('f', { ctrlKey: true }))).toBeUndefined();
    expect(matchShortcut(key('f', { altKey: true }))).toBeUndefined();
  });

  it('leaves typing in text fields alone, except Escape; Enter on a button stays the button', () => {
    const input = { tagName: 'INPUT', type: 'search' };
    expect(matchShortcut(key('f', {}, input))).toBeUndefined();
    expect(matchShortcut(key('/', {}, { tagName: 'TEXTAREA' }))).toBeUndefined();
    expect(matchShortcut(key('Escape', {}, input))).toBe('clear');
    expect(matchShortcut(key('f', {}, { tagName: 'INPUT', type: 'checkbox' }))).toBe('fit');
    expect(matchShortcut(key('Enter', {}, { tagName: 'BUTTON' }))).toBeUndefined();
    expect(matchShortcut(key('Enter', {}, { tagName: 'DIV' }))).toBe('intervene');
  });
});

describe('commands', () => {
  it('runs every registered handler of an action until it is removed', async () => {
    const { onCommand, runCommand } = await import('../../../src/renderer/src/util/commands.js');
    const ran: string[] = [];
    const offA = onCommand('clear', () => void ran.push('dialog'));
    const offB = onCommand('clear', () => void ran.push('selection'));
    expect(runCommand('clear')).toBe(true);
    expect(ran).toEqual(['selection', 'dialog']);
    offB();
    offA();
    expect(runCommand('clear')).toBe(false);
  });
});
