/**
 * Hand-written inline SVG charts for the audit report: no libraries, no external assets, Chinese labels, a <title> and
 * <desc> on every chart and a <title> (tooltip, read by screen readers) on every bar. Sizes are in viewBox units; the
 * SVG scales to its container.
 */

export const PALETTE = {
  blue: '#2f6fb0',
  green: '#2e8b57',
  orange: '#d9822b',
  red: '#c8423b',
  grey: '#9aa4ae',
  purple: '#7d5ba6',
  teal: '#2a9d8f',
  ink: '#1f2933',
  muted: '#5f6b76',
  rule: '#d5dbe1',
  track: '#eef1f4',
};

const FONT = `'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif`;
const WIDTH = 680;
const PAD = 12;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rough rendered width: CJK and full-width characters are square, the rest about half as wide. */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? size : size * 0.58;
  return w;
}

function truncate(s: string, maxWidth: number, size: number): string {
  if (textWidth(s, size) <= maxWidth) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`, size) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
export const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

/** A rounded-up axis maximum: 1, 2, 5 × 10^k. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(id: string, title: string, desc: string, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-labelledby="${id}-t ${id}-d" font-family="${escapeXml(FONT)}" font-size="13">` +
    `<title id="${id}-t">${escapeXml(title)}</title><desc id="${id}-d">${escapeXml(desc)}</desc>` +
    `<text x="${PAD}" y="20" font-size="15" font-weight="600" fill="${PALETTE.ink}">${escapeXml(title)}</text>` +
    body +
    `</svg>`
  );
}

function labelColumn(labels: string[], size: number): number {
  return Math.min(200, Math.max(72, ...labels.map((l) => textWidth(l, size) + 10)));
}

export interface BarRow {
  label: string;
  value: number;
}

/** Horizontal bars, one per row, value printed at the end of each bar. */
export function barChart(opts: { id: string; title: string; rows: BarRow[]; unit?: string; color?: string }): string {
  const { id, title, rows, unit = '', color = PALETTE.blue } = opts;
  const rowH = 26;
  const top = 36;
  const labelW = labelColumn(rows.map((r) => r.label), 13);
  const x0 = PAD + labelW;
  const valueW = 56;
  const plotW = WIDTH - x0 - PAD - valueW;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
  const height = top + rows.length * rowH + 10;
  const bars = rows
    .map((r, i) => {
      const y = top + i * rowH;
      const w = (r.value / max) * plotW;
      return (
        `<g><title>${escapeXml(`${r.label}：${fmt(r.value)}${unit}`)}</title>` +
        `<text x="${x0 - 8}" y="${y + 17}" text-anchor="end" fill="${PALETTE.ink}">${escapeXml(truncate(r.label, labelW - 10, 13))}</text>` +
        `<rect x="${x0}" y="${y + 5}" width="${plotW}" height="16" fill="${PALETTE.track}"/>` +
        `<rect x="${x0}" y="${y + 5}" width="${w.toFixed(1)}" height="16" rx="2" fill="${color}"/>` +
        `<text x="${(x0 + w + 6).toFixed(1)}" y="${y + 17}" fill="${PALETTE.ink}" font-weight="600">${fmt(r.value)}${escapeXml(unit)}</text></g>`
      );
    })
    .join('');
  const desc = rows.map((r) => `${r.label} ${fmt(r.value)}${unit}`).join('；');
  return frame(id, title, desc || '无数据', height, bars);
}

export interface StackSeries {
  label: string;
  color: string;
}

/** Horizontal stacked bars: one row per label, one segment per series, the row total at the end. */
export function stackedBarChart(opts: { id: string; title: string; series: StackSeries[]; rows: Array<{ label: string; values: number[] }>; unit?: string }): string {
  const { id, title, series, rows, unit = '' } = opts;
  const rowH = 30;
  const legendY = 40;
  const top = 58;
  const labelW = labelColumn(rows.map((r) => r.label), 13);
  const x0 = PAD + labelW;
  const totalW = 56;
  const plotW = WIDTH - x0 - PAD - totalW;
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  let lx = x0;
  const legend = series
    .map((s) => {
      const item = `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" rx="2" fill="${s.color}"/><text x="${lx + 17}" y="${legendY}" fill="${PALETTE.muted}">${escapeXml(s.label)}</text>`;
      lx += 17 + textWidth(s.label, 13) + 16;
      return item;
    })
    .join('');
  const body = rows
    .map((r, i) => {
      const y = top + i * rowH;
      let x = x0;
      const segs = r.values
        .map((v, k) => {
          if (v <= 0) return '';
          const w = (v / max) * plotW;
          const s = series[k];
          const inside = w >= textWidth(fmt(v), 12) + 6 ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + 19}" text-anchor="middle" font-size="12" fill="#fff">${fmt(v)}</text>` : '';
          const seg = `<g><title>${escapeXml(`${r.label} · ${s.label}：${fmt(v)}${unit}`)}</title><rect x="${x.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="20" fill="${s.color}"/>${inside}</g>`;
          x += w;
          return seg;
        })
        .join('');
      return (
        `<text x="${x0 - 8}" y="${y + 19}" text-anchor="end" fill="${PALETTE.ink}"><title>${escapeXml(r.label)}</title>${escapeXml(truncate(r.label, labelW - 10, 13))}</text>` +
        `<rect x="${x0}" y="${y + 5}" width="${plotW}" height="20" fill="${PALETTE.track}"/>` +
        segs +
        `<text x="${(x + 6).toFixed(1)}" y="${y + 19}" fill="${PALETTE.ink}" font-weight="600">${fmt(totals[i])}${escapeXml(unit)}</text>`
      );
    })
    .join('');
  const height = top + rows.length * rowH + 10;
  const desc = rows.map((r, i) => `${r.label}：${series.map((s, k) => `${s.label} ${fmt(r.values[k] ?? 0)}`).join('，')}，合计 ${fmt(totals[i])}`).join('；');
  return frame(id, title, desc || '无数据', height, legend + body);
}

export interface BulletRow {
  label: string;
  /** 0..1, or null when there is nothing to measure. */
  value: number | null;
  target: number;
  /** atLeast: a floor to reach; atMost: a ceiling not to pass. */
  direction: 'atLeast' | 'atMost';
  /** Shown after the percentage, e.g. "11/20". */
  detail?: string;
}

/** Rate against target: a 0–100% track, the rate as a bar (green when met, red when not), the target as a marker. */
export function bulletChart(opts: { id: string; title: string; rows: BulletRow[] }): string {
  const { id, title, rows } = opts;
  const rowH = 46;
  const top = 40;
  const labelW = labelColumn(rows.map((r) => r.label), 13);
  const x0 = PAD + labelW;
  const valueW = 130;
  const plotW = WIDTH - x0 - PAD - valueW;
  const X = (r: number) => x0 + Math.max(0, Math.min(1, r)) * plotW;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${X(t).toFixed(1)}" y="${top + rows.length * rowH + 4}" text-anchor="middle" font-size="11" fill="${PALETTE.muted}">${t * 100}%</text>`)
    .join('');
  const body = rows
    .map((r, i) => {
      const y = top + i * rowH;
      const tx = X(r.target);
      const goodFrom = r.direction === 'atLeast' ? tx : x0;
      const goodTo = r.direction === 'atLeast' ? x0 + plotW : tx;
      const met = r.value !== null && (r.direction === 'atLeast' ? r.value >= r.target - 1e-9 : r.value <= r.target + 1e-9);
      const bar =
        r.value === null
          ? `<text x="${x0 + 8}" y="${y + 24}" font-size="12" fill="${PALETTE.muted}">无数据</text>`
          : `<rect x="${x0}" y="${y + 12}" width="${(X(r.value) - x0).toFixed(1)}" height="14" fill="${met ? PALETTE.green : PALETTE.red}"/>`;
      const value = r.value === null ? '—' : pct(r.value);
      const verdict = r.value === null ? '无数据' : met ? '达标' : '未达标';
      const sign = r.direction === 'atLeast' ? '≥' : '≤';
      return (
        `<g><title>${escapeXml(`${r.label}：${value}${r.detail ? `（${r.detail}）` : ''}，目标 ${sign}${pct(r.target)}，${verdict}`)}</title>` +
        `<text x="${x0 - 8}" y="${y + 24}" text-anchor="end" fill="${PALETTE.ink}">${escapeXml(truncate(r.label, labelW - 10, 13))}</text>` +
        `<rect x="${x0}" y="${y + 6}" width="${plotW}" height="26" fill="${PALETTE.track}"/>` +
        `<rect x="${goodFrom.toFixed(1)}" y="${y + 6}" width="${Math.max(0, goodTo - goodFrom).toFixed(1)}" height="26" fill="#dcefe3"/>` +
        bar +
        `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${y + 2}" y2="${y + 36}" stroke="${PALETTE.ink}" stroke-width="2.5"/>` +
        `<text x="${tx.toFixed(1)}" y="${y + 1}" text-anchor="${r.target >= 0.9 ? 'end' : 'middle'}" font-size="11" fill="${PALETTE.ink}">目标${sign}${pct(r.target).replace('.0%', '%')}</text>` +
        `<text x="${x0 + plotW + 10}" y="${y + 19}" font-weight="600" fill="${r.value === null ? PALETTE.muted : met ? PALETTE.green : PALETTE.red}">${value} ${verdict}</text>` +
        (r.detail ? `<text x="${x0 + plotW + 10}" y="${y + 34}" font-size="11" fill="${PALETTE.muted}">${escapeXml(r.detail)}</text>` : '') +
        `</g>`
      );
    })
    .join('');
  const height = top + rows.length * rowH + 12;
  const desc = rows
    .map((r) => `${r.label} ${r.value === null ? '无数据' : pct(r.value)}，目标 ${r.direction === 'atLeast' ? '≥' : '≤'}${pct(r.target)}`)
    .join('；');
  return frame(id, title, desc, height, body + ticks);
}
