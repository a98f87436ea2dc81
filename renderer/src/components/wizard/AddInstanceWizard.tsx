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
import { DoneStep } from './DoneStep';

const STEPS = ['family', 'connection', 'lines', 'location', 'done'] as const;
type Step = (typeof STEPS)[number];

/** From nothing to an instance with lines: family and name, connection, lines, location, done. */
export function AddInstanceWizard() {
  const { t } = useTranslation();
  const list = useInstances((s) => s.list);
  const create = useInstances((s) => s.create);
  const commit = useInstances((s) => s.commit);
  const update = useInstances((s) => s.update);
  const select = useInstances((s) => s.select);
  const remove = useInstances((s) => s.remove);
  const openWizard = useInstances((s) => s.openWizard);
  const [step, setStep] = useState<Step>('family');
  const [inst, setInst] = useState<InstanceDetails | null>(null);
  // The instance lives unsaved in main until the last step's "Create the instance"; Cancel drops it, so nothing is stored.
  // The demo is there to be tried: its driver starts at the end unless the admin unticks it.
  const [startNow, setStartNow] = useState(false);
  // Set once "Create the instance" has stored it: from then on nothing in the wizard may delete it (a driver that
  // fails to start leaves a stored instance, and the link that cancelled now opens it).
  const [created, setCreated] = useState(false);
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
      <p className="wizard-cancel">
        <button
          type="button"
          className="link"
          onClick={() =>
            attempt(async () => {
              if (inst && created) await select(inst.id, startNow ? 'status' : undefined);
              else if (inst) await remove(inst.id, inst.name);
              openWizard(false);
            })
          }
        >
          {inst ? t(created ? 'wizard.openCreated' : 'wizard.cancelDiscard', { name: inst.name }) : t('common.cancel')}
        </button>
      </p>
      {step === 'family' && (
        <FamilyStep
          families={FAMILIES}
          defaultName={(f: Family) => t('wizard.nameDefault', { family: t(`families.${f}`), n: list.filter((i) => i.family === f).length + 1 })}
          onDemo={(family) =>
            attempt(async () => {
              // Always a new instance pointing at the demo system, also when the demo and its own instance run already.
              setInst(await api().call('demo.newInstance', family ? { family } : {}));
              setStartNow(true);
              setStep('connection');
            })
          }
          onNext={(family, name) =>
            attempt(async () => {
              setInst(await create(family, name));
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
        <DoneStep
          inst={inst}
          created={created}
          startNow={startNow}
          setStartNow={setStartNow}
          onBack={() => setStep('location')}
          onCreate={(name) =>
            attempt(async () => {
              if (!created) {
                if (name !== inst.name) setInst(await update(inst.id, { name }));
                await commit(inst.id);
                setCreated(true);
              }
              if (startNow && FAMILY_SPECS[inst.family].capabilities.runtime) {
                await api().call('driver.start', { instanceId: inst.id });
                await select(inst.id, 'status');
              } else await select(inst.id);
            })
          }
        />
      )}
      {/* Below the step's buttons: a failure shows where the admin just clicked. */}
      <ErrorNote error={error} />
    </section>
  );
}
