import type { Services } from '../app/services';
import { createDispatcher, type Dispatch, type Handlers } from './registry';
import { appHandlers } from './handlers/app';
import { demoHandlers } from './handlers/demo';
import { profilesHandlers } from './handlers/profiles';
import { instancesHandlers } from './handlers/instances';
import { configHandlers } from './handlers/config';
import { rulesHandlers } from './handlers/rules';
import { linesIoHandlers } from './handlers/lines-io';
import { licencesHandlers } from './handlers/licences';
import { driversHandlers } from './handlers/drivers';
import { muxHandlers } from './handlers/mux';
import { servicesHandlers } from './handlers/services';
import { uacstaHandlers } from './handlers/uacsta';
import { networkHandlers } from './handlers/network';
import { pbxConfigHandlers } from './handlers/pbx-config';
import { coded } from '../../shared/problems';
import { rateLimited } from '../log/rate-limit';

/** All handlers; a method of the contract without one here is a compile error. */
export function createHandlers(s: Services): Handlers {
  return {
    ...appHandlers(s),
    ...demoHandlers(s),
    ...profilesHandlers(s),
    ...instancesHandlers(s),
    ...configHandlers(s),
    ...rulesHandlers(s),
    ...linesIoHandlers(s),
    ...licencesHandlers(s),
    ...driversHandlers(s),
    ...muxHandlers(s),
    ...servicesHandlers(s),
    ...uacstaHandlers(s),
    ...networkHandlers(s),
    ...pbxConfigHandlers(s),
  };
}

export function createApi(s: Services): Dispatch {
  // A page polling a call that keeps failing (a deleted instance's status) must not fill the admin's disk.
  const log = rateLimited(s.logger.child('api'));
  return createDispatcher(createHandlers(s), (method, error) => log.warn(coded('logApp.callFailed', { method, error: error.code, errorCode: error.code, detail: error.message })));
}

export { createDispatcher, type Dispatch, type Handlers } from './registry';
export { EventBus } from './event-bus';
