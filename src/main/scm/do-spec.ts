/**
 * The text form of interventions users type: "LAYER:CH=VALUE,…" where CH is a channel, a range
 * "a-b" or "*", and VALUE is a number c (the channel's map set to c; 0 is the paper's do(r = 0)) or
 * "scale(s)" / "xs" (the map multiplied by s). Example: "conv1:3=0,conv1:5-7=0,conv2:*=x0.5".
 */
import type { ScmIntervention } from './do-values.js';

export function parseDoSpec(text: string, channelsOf: (layer: string) => number | undefined): ScmIntervention[] {
  const out: ScmIntervention[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+):([0-9*]+(?:-[0-9]+)?)=(.+)$/.exec(part);
    if (!m) throw new RangeError(`"${part}" is not LAYER:CHANNEL=VALUE (e.g. conv1:3=0)`);
    const [, layer, channelText, valueText] = m;
    const channels = channelsOf(layer);
    if (channels === undefined) throw new RangeError(`"${part}": no node layer named ${layer}`);
    let list: number[];
    if (channelText === '*') list = Array.from({ length: channels }, (_, i) => i);
    else {
      const [a, b] = channelText.split('-').map(Number);
      const end = b ?? a;
      if (!(a <= end)) throw new RangeError(`"${part}": channel range ${channelText} is empty`);
      list = Array.from({ length: end - a + 1 }, (_, i) => a + i);
    }
    const bad = list.find((k) => k >= channels);
    if (bad !== undefined) throw new RangeError(`"${part}": ${layer} has channels 0..${channels - 1}`);
    const scale = /^(?:scale\((.+)\)|x(.+))$/.exec(valueText.trim());
    const value = Number(scale ? (scale[1] ?? scale[2]) : valueText);
    if (!Number.isFinite(value)) throw new RangeError(`"${part}": ${valueText} is not a number, scale(s) or xs`);
    if (scale) out.push({ layer, channels: list, kind: 'scale', value });
    else if (value === 0) out.push({ layer, channels: list, kind: 'zero' });
    else out.push({ layer, channels: list, kind: 'constant', value });
  }
  if (out.length === 0) throw new RangeError('no intervention given');
  return out;
}

export function formatDoSpec(interventions: ScmIntervention[]): string {
  return interventions
    .map((iv) => {
      const v = iv.kind === 'zero' ? '0' : iv.kind === 'scale' ? `x${iv.value}` : String(iv.value);
      return iv.channels.map((k) => `${iv.layer}:${k}=${v}`).join(',');
    })
    .join(',');
}
