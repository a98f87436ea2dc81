import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';

type DemoHandlers = Pick<Handlers, 'demo.start' | 'demo.status' | 'demo.stop' | 'demo.placeCall'>;

export function demoHandlers(s: Services): DemoHandlers {
  const changed = (family?: string) => s.bus.emit('demo.changed', s.demo.status(family) ?? { running: false });
  const offered = (family: string | undefined) => {
    if (family && !s.demo.families().includes(family)) throw new ApiFailure(ErrorCodes.invalidInput, `the family "${family}" offers no demo; these do: ${s.demo.families().join(', ')}`);
  };
  return {
    'demo.start': async ({ family }) => {
      offered(family);
      const info = await s.demo.start(family);
      changed(family);
      return info;
    },
    'demo.status': ({ family }) => {
      offered(family);
      return s.demo.status(family) ?? { running: false };
    },
    'demo.stop': async ({ family }) => {
      offered(family);
      await s.demo.stop(family);
      changed(family);
      return { running: false };
    },
    'demo.placeCall': ({ from, to, family }) => {
      offered(family);
      if (!s.demo.status(family)) throw new ApiFailure('DEMO_NOT_RUNNING', 'The demo system is not running; start it first.');
      try {
        return { callId: s.demo.placeCall(from, to, family) };
      } catch (e) {
        throw new ApiFailure('DEMO_CALL_FAILED', `The demo PBX did not place the call from ${from} to ${to}: ${(e as Error).message}`);
      }
    },
  };
}
