import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { Location } from '../../../../shared/model/rules';
import { api } from '../../api';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';

export function LocationStep({ initial, onBack, onNext }: { initial: Location; onBack(): void; onNext(l: Location): Promise<unknown> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [loc, setLoc] = useState(initial);
  const settled = useDebounced(loc);
  const problems = useApiQuery(JSON.stringify(settled), () => api().call('location.validate', { location: settled })).data ?? [];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onNext(loc);
      }}
    >
      <div className="field-grid">
        <div className="field-row">
          <label htmlFor={`${id}-r`}>{t('location.ranges')}</label>
          <input id={`${id}-r`} value={loc.ranges} placeholder={t('location.rangesHint')} onChange={(e) => setLoc({ ...loc, ranges: e.target.value })} />
        </div>
        <div className="field-row check">
          <label htmlFor={`${id}-u`}>{t('location.useLocation')}</label>
          <input id={`${id}-u`} type="checkbox" checked={loc.useLocation} onChange={(e) => setLoc({ ...loc, useLocation: e.target.checked })} />
        </div>
        <div className="field-row">
          <label htmlFor={`${id}-l`}>{t('location.location')}</label>
          <input id={`${id}-l`} value={loc.location} placeholder={t('location.locationHint')} onChange={(e) => setLoc({ ...loc, location: e.target.value })} />
        </div>
      </div>
      {problems.map((p, i) => (
        <p key={i} className="problem">
          {say(p)}
        </p>
      ))}
      <div className="save-bar">
        <button type="button" className="secondary" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="submit" disabled={problems.length > 0}>
          {t('common.next')}
        </button>
      </div>
    </form>
  );
}
