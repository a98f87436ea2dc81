import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { coded } from '../../../shared/problems';

type LicencesHandlers = Pick<Handlers, 'licences.status' | 'licences.add' | 'licences.remove'>;

export function licencesHandlers(s: Services): LicencesHandlers {
  const log = s.logger.child('licences');
  return {
    'licences.status': () => s.licences.status(),
    'licences.add': async ({ key }) => {
      const status = await s.licences.addKey(key);
      log.info(coded('logApp.licenceKeyAdded', { licensed: status.licensed }));
      return status;
    },
    'licences.remove': async ({ id }) => {
      const status = await s.licences.removeKey(id);
      log.info(coded('logApp.licenceKeyRemoved', { key: id, licensed: status.licensed }));
      return status;
    },
  };
}
