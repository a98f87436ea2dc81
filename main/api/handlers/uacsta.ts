import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import { UacstaError, UacstaServiceError } from '../../servers/uacsta';

type UacstaHandlers = Pick<Handlers, 'uacsta.settings' | 'uacsta.saveSettings' | 'uacsta.status' | 'uacsta.start' | 'uacsta.stop' | 'uacsta.setPhoneEnabled' | 'uacsta.phone'>;

/** A refusal of the server as the API's envelope: its code, main's sentence, and the coded problem as details. */
async function refusals<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UacstaServiceError) throw new ApiFailure(e.code, e.message, { ...e.problem.params, problem: e.problem });
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
  };
}
