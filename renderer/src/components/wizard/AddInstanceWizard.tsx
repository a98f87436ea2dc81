import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONNECTION_SCHEMAS, type Values } from '../instances/fields';
import { FAMILIES, type Family } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { useInstances } from '../../store/instances';
import { api } from '../../api';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';
import { FamilyStep } from './FamilyStep';
import { ConnectionStep } from './ConnectionStep';
import { LinesStep } from './LinesStep';
import { LocationStep } from './LocationStep';

const STEPS = ['family', 'connection', 'lines', 'location', 'done'] as const;
type Step = (typeof STEPS)[number];

/** From nothing to an instance with lines: family and name, connection, lines, location, done. */
export function AddInstanceWizard() {
  const { t } = useTranslation();
  const list = useInstances((s) => s.list);
  const create = useInstances((s) => s.create);
  const update = useInstances((s) => s.update);
  const select = useInstances((s) => s.select);
  const load = useInstances((s) => s.load);
  const remove = useInstances((s) => s.remove);
  const openWizard = useInstances((s) => s.openWizard);
  const [step, setStep] = useState<Step>('family');
  const [inst, setInst] = useState<InstanceDetails | null>(null);
  // The demo is there to be tried: its driver starts at the end unless the admin unticks it.
  const [startNow, setStartNow] = useState(false);
  // Only an instance this wizard created is discarded by Cancel; the demo's stays with the demo.
  const [createdHere, setCreatedHere] = useState(false);
  const { error, attempt } = useAttempt();
  const n = STEPS.indexOf(step);

  return (
    <section className="card wizard" aria-labelledby="wizard-title">
      <h2 id="wizard-title">{t('wizard.title')}</h2>
      <ol className="steps" aria-label={t('wizard.stepOf', { n: n + 1, total: STEPS.length, name: t(`wizard.steps.${step}`) })}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} className={i < n ? 'done' : ''}>
            {t(`wizard.steps.${s}`)}
          </li>
        ))}
      </ol>
      <ErrorNote error={error} />
      {step !== 'done' && (
        <p className="wizard-cancel">
          <button
            type="button"
            className="link"
            onClick={() =>
              attempt(async () => {
                if (inst && createdHere) await remove(inst.id, inst.name);
                openWizard(false);
              })
            }
          >
            {inst && createdHere ? t('wizard.cancelDiscard', { name: inst.name }) : t('common.cancel')}
          </button>
        </p>
      )}
      {step === 'family' && (
        <FamilyStep
          families={FAMILIES}
          defaultName={(f: Family) => t('wizard.nameDefault', { family: t(`families.${f}`), n: list.filter((i) => i.family === f).length + 1 })}
          onDemo={(family) =>
            attempt(async () => {
              const demo = await api().call('demo.start', family ? { family } : {});
              await load();
              setInst(await api().call('instances.get', { id: demo.instanceId }));
              setStartNow(true);
              setStep('connection');
            })
          }
          onNext={(family, name) =>
            attempt(async () => {
              setInst(await create(family, name));
              setCreatedHere(true);
              setStep('connection');
            })
          }
        />
      )}
      {step === 'connection' && inst && (
        <ConnectionStep
          key={inst.id}
          instanceId={inst.id}
          family={inst.family}
          initial={inst.connection as Values}
          passwordSet={Boolean(inst.secrets[FAMILY_SPECS[inst.family].passwordSecret])}
          schema={CONNECTION_SCHEMAS[inst.family]}
          onNext={(connection, password) =>
            attempt(async () => {
              // The password first: the lines step queries the PBX with it.
              if (password !== null) await api().call('instances.setSecret', { id: inst.id, field: FAMILY_SPECS[inst.family].passwordSecret, value: password });
              setInst(await update(inst.id, { connection }));
              setStep('lines');
            })
          }
        />
      )}
      {step === 'lines' && inst && <LinesStep instanceId={inst.id} family={inst.family} onBack={() => setStep('connection')} onNext={() => setStep('location')} />}
      {step === 'location' && inst && (
        <LocationStep
          initial={inst.location}
          onBack={() => setStep('lines')}
          onNext={(location) =>
            attempt(async () => {
              setInst(await update(inst.id, { location }));
              setStep('done');
            })
          }
        />
      )}
      {step === 'done' && inst && (
        <div>
          <p role="status">{t('wizard.doneText', { name: inst.name, count: inst.lineCount })}</p>
          <dl className="summary" aria-label={t('wizard.summary')}>
            <dt>{t('wizard.steps.family')}</dt>
            <dd>{t(`families.${inst.family}`)}</dd>
            <dt>{t('wizard.steps.connection')}</dt>
            <dd>
              {String(inst.connection.host ?? '')}:{String((inst.connection as Record<string, unknown>)[FAMILY_SPECS[inst.family].portField] ?? '')}
            </dd>
            <dt>{t('wizard.steps.lines')}</dt>
            <dd>{t('instances.lineCount', { count: inst.lineCount })}</dd>
            <dt>{t('location.ranges')}</dt>
            <dd>{inst.location.ranges || t('wizard.noRanges')}</dd>
          </dl>
          {FAMILY_SPECS[inst.family].capabilities.runtime && (
            <label className="check">
              <input type="checkbox" checked={startNow} onChange={(e) => setStartNow(e.target.checked)} /> {t('wizard.startNow')}
            </label>
          )}
          <button
            type="button"
            onClick={() =>
              attempt(async () => {
                if (startNow && FAMILY_SPECS[inst.family].capabilities.runtime) {
                  await api().call('driver.start', { instanceId: inst.id });
                  await select(inst.id, 'status');
                } else await select(inst.id);
              })
            }
          >
            {t('wizard.open')}
          </button>
        </div>
      )}
    </section>
  );
}
