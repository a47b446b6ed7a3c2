// A bar chart of a provider's share per epoch (inline SVG, no library): one bar per epoch,
// coloured by state, with a text alternative.
import { formatFunc } from '../../client/lib/codec.js';

const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, text) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

export function rewardChart(rows) {
  const W = 600;
  const H = 180;
  const pad = { l: 8, r: 8, t: 30, b: 28 };
  const max = rows.reduce((m, r) => (r.share > m ? r.share : m), 0n);
  const bw = rows.length ? (W - pad.l - pad.r) / rows.length : 0;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': 'chart-title chart-desc', preserveAspectRatio: 'none' });
  svg.append(s('title', { id: 'chart-title' }, 'My share per epoch'));
  svg.append(
    s('desc', { id: 'chart-desc' }, rows.map((r) => `epoch ${r.epoch}: ${formatFunc(r.share)}, ${r.state_text}`).join('; ') || 'no epochs yet'),
  );
  rows.forEach((r, i) => {
    const frac = max === 0n ? 0 : Number((r.share * 1000n) / max) / 1000;
    const bh = Math.max(frac * (H - pad.t - pad.b), r.share > 0n ? 2 : 0);
    const x = pad.l + i * bw + bw * 0.15;
    svg.append(s('rect', { x, y: H - pad.b - bh, width: bw * 0.7, height: bh, class: `bar ${r.state}` }));
    svg.append(s('text', { x: x + bw * 0.35, y: H - pad.b + 16, 'text-anchor': 'middle', class: 'axis' }, String(r.epoch)));
    if (r.share > 0n && rows.length <= 16) {
      svg.append(s('text', { x: x + bw * 0.35, y: H - pad.b - bh - 4, 'text-anchor': 'middle', class: 'amount' }, formatFunc(r.share).replace(' FUNC', '')));
    }
  });
  svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: H - pad.b, y2: H - pad.b, class: 'base' }));
  svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: pad.t, y2: pad.t, class: 'grid' }));
  svg.append(s('text', { x: pad.l, y: pad.t - 6, class: 'axis', 'data-axis-max': max.toString() }, max === 0n ? 'FUNC per epoch (none yet)' : `${formatFunc(max)} (top line) · epochs below`));
  const legend = document.createElement('p');
  legend.className = 'legend';
  for (const [k, label] of [['claimed', 'claimed'], ['claimable', 'claimable'], ['correction_window', 'in the correction window'], ['not_reported', 'not reported'], ['final_empty', 'final, no reward'], ['in_progress', 'in progress']]) {
    const sw = document.createElement('span');
    sw.className = `swatch ${k}`;
    sw.setAttribute('aria-hidden', 'true');
    legend.append(sw, ` ${label} `);
  }
  const fig = document.createElement('figure');
  fig.className = 'chart-wrap';
  fig.append(svg, legend);
  return fig;
}
