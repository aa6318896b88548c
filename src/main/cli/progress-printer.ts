/**
 * Progress on stderr: a live line on a terminal; otherwise one line per stage and a line every
 * 10 seconds, so logs stay readable. Silent with CAUSEWAY_PROGRESS=0.
 */
import type { Progress } from '../util/progress.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; done: () => void } {
  const live = stream.isTTY === true;
  const silent = process.env.CAUSEWAY_PROGRESS === '0';
  let lastStage = '';
  let lastLine = 0;
  let lastText = '';
  return {
    update: (p) => {
      if (silent) return;
      const eta = p.etaSeconds !== undefined && p.done < p.total ? `, ${formatEta(p.etaSeconds)} left` : '';
      const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
      const line = `${p.stage}: ${p.done}/${p.total} (${pct}%${eta})`;
      if (live) stream.write(`\r${line}\x1b[K`);
      else if (line !== lastText && (p.stage !== lastStage || Date.now() - lastLine > 10_000 || p.done === p.total)) {
        stream.write(`${line}\n`);
        lastText = line;
        lastLine = Date.now();
      }
      lastStage = p.stage;
    },
    done: () => {
      if (live && !silent) stream.write('\r\x1b[K');
    },
  };
}

function formatEta(s: number): string {
  return s < 90 ? `${Math.ceil(s)} s` : `${Math.round(s / 60)} min`;
}
