import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { InstanceDetails } from '../../../../shared/api/instances';
import type { Location } from '../../../../shared/model/rules';
import { api } from '../../api';
import { sectionValue, useInstances } from '../../store/instances';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';
import { SectionFrame } from './SectionFrame';
import type { Coded } from '../../../../shared/problems';

/** The first number of each range, so the preview shows something useful before the admin types. */
function sampleExtensions(ranges: string): string {
  return ranges
    .split(',')
    .map((r) => r.trim().split('-')[0]!.trim())
    .filter(Boolean)
    .slice(0, 4)
    .join(', ');
}

function TextRow(p: { id: string; label: string; value: string; placeholder: string; problems: Coded[]; onChange(v: string): void }) {
  const say = useProblemText();
  return (
    <div className="field-row">
      <label htmlFor={p.id}>{p.label}</label>
      <input id={p.id} value={p.value} placeholder={p.placeholder} aria-invalid={p.problems.length > 0 || undefined} onChange={(e) => p.onChange(e.target.value)} />
      {p.problems.map((x, i) => (
        <span key={i} className="problem">
          {say(x)}
        </span>
      ))}
    </div>
  );
}

/** Extension ranges and location with live validation and a preview of how extensions are written. */
export function LocationPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const id = useId();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const loc = sectionValue<Location>(details, drafts, 'location');
  const set = (patch: Partial<Location>) => setDraft('location', { ...loc, ...patch });
  const [sample, setSample] = useState<string | null>(null);
  const extensions = (sample ?? sampleExtensions(loc.ranges))
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const settled = useDebounced({ loc, extensions });
  const problems = useApiQuery(`v${JSON.stringify(settled.loc)}`, () => api().call('location.validate', { location: settled.loc })).data ?? [];
  const preview = useApiQuery(`f${JSON.stringify(settled)}`, () => api().call('location.format', { location: settled.loc, extensions: settled.extensions }), problems.length === 0).data;
  const problemFor = (field: 'ranges' | 'location') => problems.filter((p) => p.field === field);

  return (
    <>
      <SectionFrame section="location" valid={problems.length === 0}>
        <div className="field-grid">
          <TextRow id={`${id}-ranges`} label={t('location.ranges')} value={loc.ranges} placeholder={t('location.rangesHint')} problems={problemFor('ranges')} onChange={(ranges) => set({ ranges })} />
          <div className="field-row check">
            <label htmlFor={`${id}-use`}>{t('location.useLocation')}</label>
            <input id={`${id}-use`} type="checkbox" checked={loc.useLocation} onChange={(e) => set({ useLocation: e.target.checked })} />
          </div>
          <TextRow id={`${id}-loc`} label={t('location.location')} value={loc.location} placeholder={t('location.locationHint')} problems={problemFor('location')} onChange={(location) => set({ location })} />
          {(['accessCode', 'nationalPrefix', 'internationalPrefix'] as const).map((k) => (
            <TextRow key={k} id={`${id}-${k}`} label={t(`location.${k}`)} value={loc[k] ?? ''} placeholder={t(`location.${k}Hint`)} problems={[]} onChange={(v) => set({ [k]: v })} />
          ))}
          <div className="field-row">
            <label htmlFor={`${id}-display`}>{t('location.display')}</label>
            <select id={`${id}-display`} value={loc.display} onChange={(e) => set({ display: e.target.value as Location['display'] })}>
              {(['internal', 'canonical'] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`location.displays.${d}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </SectionFrame>
      <section className="card" aria-labelledby={`${id}-preview`}>
        <h3 id={`${id}-preview`}>{t('location.preview')}</h3>
        <label>
          <span>{t('location.previewInput')}</span>
          <input value={sample ?? sampleExtensions(loc.ranges)} onChange={(e) => setSample(e.target.value)} />
        </label>
        {preview && preview.length > 0 && (
          <table className="grid">
            <thead>
              <tr>
                <th>{t('location.extension')}</th>
                <th>{t('location.canonical')}</th>
                <th>{t('location.shownAs')}</th>
                <th>{t('location.internal')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((r) => (
                <tr key={r.extension}>
                  <td>{r.extension}</td>
                  <td>{r.error ? <span className="problem">{r.error}</span> : (r.canonical ?? '')}</td>
                  <td>{r.display}</td>
                  <td>{r.internal ? t('common.yes') : t('location.external')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
