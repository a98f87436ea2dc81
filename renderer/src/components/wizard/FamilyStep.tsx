import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FAMILIES, type Family } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';

export function FamilyStep({ families, defaultName, onNext, onDemo }: { families: readonly Family[]; defaultName(f: Family): string; onNext(f: Family, name: string): Promise<unknown>; onDemo(family?: Family): Promise<unknown> }) {
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
          {t('wizard.create')}
        </button>
      </div>
      {/* One demo system per family that offers one (the first is the Panasonic demo PBX). */}
      {families
        .filter((f) => FAMILY_SPECS[f].capabilities.demo)
        .map((f) => (
          <div className="save-bar" key={f}>
            <button type="button" className="secondary" onClick={() => void onDemo(f)} aria-describedby={`${id}-demo-${f}`}>
              {t(`discover.demoOf.${f}`)}
            </button>
            <span id={`${id}-demo-${f}`} className="hint">
              {t(`discover.demoHintOf.${f}`)}
            </span>
          </div>
        ))}
    </form>
  );
}
