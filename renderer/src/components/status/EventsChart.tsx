import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';

const W = 320;
const H = 60;

/** A small line chart of call events per second over the last samples. */
export function EventsChart({ samples }: { samples: number[] }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...samples);
  const step = samples.length > 1 ? W / (samples.length - 1) : W;
  const points = samples.map((v, i) => `${(i * step).toFixed(1)},${(H - (v / max) * (H - 4) - 2).toFixed(1)}`).join(' ');
  const last = samples.at(-1) ?? 0;
  return (
    <figure className="events-chart">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('status.chartLabel', { value: formatNumber(last) })}>
        <line x1={0} y1={H - 1} x2={W} y2={H - 1} className="axis" />
        {samples.length > 1 && <polyline points={points} className="series" />}
      </svg>
      <figcaption className="hint">{t('status.chartCaption', { value: formatNumber(last), max: formatNumber(max) })}</figcaption>
    </figure>
  );
}
