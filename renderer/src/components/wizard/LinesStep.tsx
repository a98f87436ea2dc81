import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { api } from '../../api';
import { textToBase64 } from '../../util/files';
import { ErrorNote } from '../ErrorNote';
import { LinesImport } from '../lines/LinesImport';
import { DiscoverLines } from '../lines/DiscoverLines';
import type { Family } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';
import type { LinesRowProblem } from '../../../../shared/api/lines-io';
import { linesRowProblem } from '../../i18n/problems';

type How = 'query' | 'enter' | 'file' | 'later';

/** Lines for the new instance: typed in as `number,name` rows, imported from a file, or left for later. */
export function LinesStep({ instanceId, family, onBack, onNext }: { instanceId: string; family: Family; onBack(): void; onNext(): void }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const canQuery = FAMILY_SPECS[family].capabilities.discovery;
  const [how, setHow] = useState<How>(canQuery ? 'query' : 'enter');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<LinesRowProblem[]>([]);
  const [busy, setBusy] = useState(false);

  async function next() {
    setBusy(true);
    try {
      await store();
    } finally {
      setBusy(false);
    }
  }

  async function store() {
    setError(null);
    setProblems([]);
    if (how === 'enter' && text.trim()) {
      try {
        const data = textToBase64(text);
        const preview = await api().call('lines.importPreview', { instanceId, data, format: 'text' });
        if (preview.errors.length) {
          setProblems(preview.errors);
          return;
        }
        await api().call('lines.importApply', { instanceId, data, format: 'text' });
      } catch (e) {
        setError(e);
        return;
      }
    }
    onNext();
  }

  return (
    <div>
      <fieldset className="family-choice">
        <legend>{t('wizard.linesHow')}</legend>
        {(canQuery ? (['query', 'enter', 'file', 'later'] as const) : (['enter', 'file', 'later'] as const)).map((h) => (
          <label key={h} className={h === how ? 'on' : ''}>
            <input type="radio" name={`${id}-how`} checked={h === how} onChange={() => setHow(h)} />
            {t(`wizard.lines${h === 'query' ? 'Query' : h === 'enter' ? 'Enter' : h === 'file' ? 'File' : 'Skip'}`)}
          </label>
        ))}
      </fieldset>
      {how === 'enter' && (
        <div className="field-row">
          <label htmlFor={`${id}-text`}>{t('wizard.linesText')}</label>
          <textarea id={`${id}-text`} rows={8} className="wide mono" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      )}
      {/* Their results (and the query's Undo) stay in view until the admin moves on with Next. */}
      {how === 'file' && <LinesImport instanceId={instanceId} onImported={() => undefined} />}
      {how === 'query' && <DiscoverLines instanceId={instanceId} onApplied={() => undefined} />}
      {problems.map((p) => (
        <p key={p.line} className="problem">
          {t('lines.errorAt', { line: p.line, message: say(linesRowProblem(p)) })}
        </p>
      ))}
      <ErrorNote error={error} />
      <div className="save-bar">
        <button type="button" className="secondary" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="button" disabled={busy} onClick={() => void next()}>
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}
