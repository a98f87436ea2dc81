import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FAMILIES, type Family } from '../../../../shared/model/instance';

export function FamilyStep({ families, defaultName, onNext, onDemo }: { families: readonly Family[]; defaultName(f: Family): string; onNext(f: Family, name: string): Promise<unknown>; onDemo(): Promise<unknown> }) {
  const { t } = useTranslation();
  const id = useId();
  const [family, setFamily] = useState<Family>(FAMILIES[0]);
  const [name, setName] = useState<string | null>(null);
  const shownName = name ?? defaultName(family);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onNext(family, shownName.trim());
      }}
    >
      <fieldset className="family-choice">
        <legend>{t('wizard.family')}</legend>
        {families.map((f) => (
          <label key={f} className={f === family ? 'on' : ''}>
            <input type="radio" name={`${id}-family`} checked={f === family} onChange={() => setFamily(f)} />
            {t(`families.${f}`)}
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <label htmlFor={`${id}-name`}>{t('wizard.name')}</label>
        <input id={`${id}-name`} value={shownName} onChange={(e) => setName(e.target.value)} aria-invalid={!shownName.trim() || undefined} />
      </div>
      <div className="save-bar">
        <button type="submit" disabled={!shownName.trim()}>
          {t('common.next')}
        </button>
        <button type="button" className="secondary" onClick={() => void onDemo()} aria-describedby={`${id}-demo`}>
          {t('discover.demo')}
        </button>
        <span id={`${id}-demo`} className="hint">
          {t('discover.demoHint')}
        </span>
      </div>
    </form>
  );
}
