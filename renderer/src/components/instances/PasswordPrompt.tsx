import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FAMILY_SPECS } from '../../../../shared/families';
import { api } from '../../api';
import { useInstances } from '../../store/instances';
import { usePasswordPrompt } from '../../store/password-prompt';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';

/**
 * Asks for the new password of an instance whose stored one stopped working (changed on the platform): stores it
 * as the instance's password, which reconnects the instance; nothing else of its settings changes. "Later" keeps
 * the instance waiting; its Status page offers the prompt again.
 */
export function PasswordPrompt() {
  const list = useInstances((s) => s.list);
  const needed = useInstances((s) => s.passwordNeeded);
  const dismissed = usePasswordPrompt((s) => s.dismissed);
  const dismiss = usePasswordPrompt((s) => s.dismiss);
  // Put off once is not put off for good: when the instance asks again later, the prompt comes back.
  useEffect(() => {
    for (const id of Object.keys(dismissed)) if (dismissed[id] && !needed[id]) dismiss(id, false);
  }, [needed, dismissed, dismiss]);
  const instance = list.find((i) => needed[i.id] && !dismissed[i.id]);
  // Keyed by instance: the next one asked for starts with an empty field.
  return instance ? <PasswordDialog key={instance.id} id={instance.id} name={instance.name} family={instance.family} /> : null;
}

function PasswordDialog({ id, name, family }: { id: string; name: string; family: keyof typeof FAMILY_SPECS }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [value, setValue] = useState('');
  const { error, attempt } = useAttempt();
  const dismiss = usePasswordPrompt((s) => s.dismiss);
  const refresh = useInstances((s) => s.refresh);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const later = () => dismiss(id, true);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={later} onCancel={later}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            await api().call('instances.setSecret', { id, field: FAMILY_SPECS[family].passwordSecret, value });
            // Until the link is up again (or refuses this one too) the instance is no longer waiting for a password.
            useInstances.setState((s) => ({ passwordNeeded: { ...s.passwordNeeded, [id]: false } }));
            await refresh();
          });
        }}
      >
        <h2 id={titleId}>{t('passwordPrompt.title', { name })}</h2>
        <p>{t('passwordPrompt.text', { name, family: t(`families.${family}`) })}</p>
        <label>
          <span>{t('passwordPrompt.label')}</span>
          <input type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        </label>
        <ErrorNote error={error} />
        <div className="save-bar">
          <button type="submit" disabled={!value}>
            {t('passwordPrompt.store')}
          </button>
          <button type="button" className="secondary" onClick={later}>
            {t('passwordPrompt.later')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
