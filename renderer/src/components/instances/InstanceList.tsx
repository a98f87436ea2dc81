import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState, DriverStatus } from '../../../../shared/api/drivers';
import { formatNumber } from '../../i18n';
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
  const lineCounts = useInstances((s) => s.lineCounts);
  const refreshLineCounts = useInstances((s) => s.refreshLineCounts);
  // Lines open and close without a change of the connection state (licences, monitors): look again now and then.
  useEffect(() => {
    const timer = setInterval(() => void refreshLineCounts(), 5000);
    return () => clearInterval(timer);
  }, [refreshLineCounts]);
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
                {states[i.id] && <StateLine state={states[i.id]!} lines={lineCounts[i.id]} />}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

/** The connection state, and while connected how many lines work: "Connected" in green only when all are open. */
function StateLine({ state, lines }: { state: ConnectionState; lines: DriverStatus['lines'] | undefined }) {
  const { t } = useTranslation();
  const partial = state === 'connected' && lines !== undefined && lines.total > 0 && lines.open < lines.total;
  return (
    <span className="instance-meta">
      <span className={`state-dot state-${partial ? 'partial' : state}`} aria-hidden="true" />{' '}
      {partial ? t('states.connectedPartly', { open: formatNumber(lines.open), total: formatNumber(lines.total) }) : t(`states.${state}`)}
    </span>
  );
}
