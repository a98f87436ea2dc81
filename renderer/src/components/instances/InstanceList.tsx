import { useTranslation } from 'react-i18next';
import { allDrafts, useInstances } from '../../store/instances';

/** The instances sidebar: each instance with its family and line count, and the way to add one. */
export function InstanceList() {
  const { t } = useTranslation();
  const list = useInstances((s) => s.list);
  const selectedId = useInstances((s) => s.selectedId);
  const wizard = useInstances((s) => s.wizard);
  const states = useInstances((s) => s.states);
  const select = useInstances((s) => s.select);
  const openWizard = useInstances((s) => s.openWizard);
  const kept = useInstances((s) => s.kept);
  const drafts = useInstances((s) => s.drafts);
  const unsaved = allDrafts({ kept, drafts, selectedId });
  return (
    <aside className="instance-list" aria-label={t('instances.listLabel')}>
      <button type="button" onClick={() => openWizard(true)} aria-pressed={wizard}>
        {t('instances.add')}
      </button>
      {list.length === 0 ? (
        <p className="empty">{t('instances.empty')}</p>
      ) : (
        <ul>
          {list.map((i) => (
            <li key={i.id}>
              <button type="button" className="instance-item" aria-current={i.id === selectedId && !wizard ? 'true' : undefined} onClick={() => void select(i.id)}>
                <span className="instance-name">{i.name}</span>
                {unsaved[i.id] && <span className="badge warn">{t('common.unsaved')}</span>}
                <span className="instance-meta">
                  {t(`families.${i.family}`)} · {t('instances.lineCount', { count: i.lineCount })}
                </span>
                {states[i.id] && (
                  <span className="instance-meta">
                    <span className={`state-dot state-${states[i.id]}`} aria-hidden="true" /> {t(`states.${states[i.id]}`)}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
