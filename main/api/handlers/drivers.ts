import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure } from '../../../shared/api/errors';

type DriversHandlers = Pick<
  Handlers,
  | 'instances.testConnection'
  | 'lines.discover'
  | 'lines.discoverCancel'
  | 'lines.applyDiscovery'
  | 'driver.start'
  | 'driver.stop'
  | 'driver.status'
  | 'line.status'
  | 'line.makeCall'
  | 'line.clearCall'
  | 'line.setForwarding'
  | 'line.setDoNotDisturb'
>;

export function driversHandlers(_s: Services): DriversHandlers {
  const notYet = (): never => {
    throw new ApiFailure('NOT_AVAILABLE', 'the driver runtime is not wired in yet');
  };
  return {
    'instances.testConnection': notYet,
    'lines.discover': notYet,
    'lines.discoverCancel': notYet,
    'lines.applyDiscovery': notYet,
    'driver.start': notYet,
    'driver.stop': notYet,
    'driver.status': notYet,
    'line.status': notYet,
    'line.makeCall': notYet,
    'line.clearCall': notYet,
    'line.setForwarding': notYet,
    'line.setDoNotDisturb': notYet,
  };
}
