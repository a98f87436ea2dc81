import type { Handlers } from '../registry';
import type { Services } from '../../app/services';

type LicencesHandlers = Pick<Handlers, 'licences.status' | 'licences.add' | 'licences.remove'>;

export function licencesHandlers(s: Services): LicencesHandlers {
  const log = s.logger.child('licences');
  return {
    'licences.status': () => s.licences.status(),
    'licences.add': async ({ key }) => {
      const status = await s.licences.addKey(key);
      log.info(`licence key added; ${status.licensed} lines licensed`);
      return status;
    },
    'licences.remove': async ({ id }) => {
      const status = await s.licences.removeKey(id);
      log.info(`licence key ${id} removed; ${status.licensed} lines licensed`);
      return status;
    },
  };
}
