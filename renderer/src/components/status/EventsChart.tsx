import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';

const W = 320;
const H = 60;
const AXIS = 16;

/**
 * A small line chart of call events per second, one sample a second over the last `window` seconds: the newest
 * at the right ("now"), with a time axis below so the admin sees when a burst happened.
 */
export function EventsChart({ samples, window = 60 }: { samples: number[]; window?: number }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...samples);
  const step = W / Math.max(1, window - 1);
  const x = (i: number) => W - (samples.length - 1 - i) * step;
  const points = samples.map((v, i) => `${x(i).toFixed(1)},${(H - (v / max) * (H - 4) - 2).toFixed(1)}`).join(' ');
  const last = samples.at(-1) ?? 0;
  const ticks = [window, window / 2, 0];
  return (
    <figure className="events-chart">
      <svg width={W + 40} height={H + AXIS} viewBox={`-20 0 ${W + 40} ${H + AXIS}`} role="img" aria-label={t('status.chartLabel', { value: formatNumber(last) })}>
        <line x1={0} y1={H - 1} x2={W} y2={H - 1} className="axis" />
        {ticks.map((s) => {
          const at = W - (s / window) * W;
          return (
            <g key={s} className="tick">
              <line x1={at} y1={H - 1} x2={at} y2={H + 3} className="axis" />
              {/* The outer labels run inwards from their ticks, so a long one ("vor 60 s") is not cut at the edge. */}
              <text x={at} y={H + AXIS - 2} textAnchor={s === window ? 'start' : s === 0 ? 'end' : 'middle'}>
                {s === 0 ? t('status.chartNow') : t('status.chartAgo', { n: formatNumber(s) })}
              </text>
            </g>
          );
        })}
        {samples.length > 1 && <polyline points={points} className="series" />}
      </svg>
      <figcaption className="hint">{t('status.chartCaption', { value: formatNumber(last), max: formatNumber(max) })}</figcaption>
    </figure>
  );
}
