import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import { ProvisioningError, UacstaError, UacstaServiceError } from '../../servers/uacsta';

type UacstaHandlers = Pick<Handlers, 'uacsta.settings' | 'uacsta.saveSettings' | 'uacsta.status' | 'uacsta.start' | 'uacsta.stop' | 'uacsta.setPhoneEnabled' | 'uacsta.phone' | 'uacsta.log'
  | 'uacsta.provisioning.options' | 'uacsta.provisioning.saveOptions' | 'uacsta.provisioning.find' | 'uacsta.provisioning.discover' | 'uacsta.provisioning.provide' | 'uacsta.provisioning.remove' | 'uacsta.provisioning.guide'
  | 'uacsta.demo.start' | 'uacsta.demo.status' | 'uacsta.demo.stop'
>;

/** A refusal of the server as the API's envelope: its code, main's sentence, and the coded problem as details. */
async function refusals<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UacstaServiceError) throw new ApiFailure(e.code, e.message, { ...e.problem.params, problem: e.problem });
    if (e instanceof ProvisioningError) throw new ApiFailure('UACSTA_PROVISIONING_FAILED', e.message, { ...e.problem.params, problem: e.problem });
    if (e instanceof UacstaError) throw new ApiFailure(ErrorCodes.notFound, e.message, { problem: e.problem });
    throw e;
  }
}

/** The console's "SIP phone server" area: settings, start and stop, the phone list and a phone's detail. */
export function uacstaHandlers(s: Services): UacstaHandlers {
  return {
    'uacsta.settings': () => s.uacsta.view(),
    'uacsta.saveSettings': (input) => refusals(() => s.uacsta.save(input)),
    'uacsta.status': () => s.uacsta.status(),
    'uacsta.start': () => refusals(() => s.uacsta.start()),
    'uacsta.stop': () => s.uacsta.stop(),
    'uacsta.setPhoneEnabled': ({ mac, enabled }) => refusals(() => s.uacsta.setEnabled(mac, enabled)),
    'uacsta.phone': ({ mac }) => {
      const d = s.uacsta.phoneDetail(mac);
      if (!d) throw new ApiFailure(ErrorCodes.notFound, `no phone with the MAC address ${mac} is known to the server`);
      return d;
    },
    'uacsta.log': () => s.uacsta.recentLog(200),
    'uacsta.provisioning.options': () => s.uacsta.provisioning.options(),
    'uacsta.provisioning.saveOptions': (input) => s.uacsta.provisioning.saveOptions(input),
    'uacsta.provisioning.find': ({ addresses }) => s.uacsta.provisioning.find(addresses),
    'uacsta.provisioning.discover': ({ seconds }) => s.uacsta.provisioning.discover(seconds),
    'uacsta.provisioning.provide': ({ addresses }) => refusals(() => s.uacsta.provisioning.provide(addresses)),
    'uacsta.provisioning.remove': ({ addresses }) => refusals(() => s.uacsta.provisioning.remove(addresses)),
    'uacsta.provisioning.guide': () => refusals(() => s.uacsta.provisioning.guide()),
    'uacsta.demo.start': () => refusals(() => s.phoneDemo.start()),
    'uacsta.demo.status': () => s.phoneDemo.status(),
    'uacsta.demo.stop': async () => {
      await s.phoneDemo.stop();
      return { running: false as const };
    },
  };
}
