import { ApiFailure } from '../../../shared/api/errors';
import type { Handlers } from '../registry';
import { instanceDetails } from './instances';
import type { Services } from '../../app/services';

type DemoHandlers = Pick<Handlers, 'demo.start' | 'demo.newInstance' | 'demo.status' | 'demo.stop' | 'demo.placeCall'>;

export function demoHandlers(s: Services): DemoHandlers {
  const changed = () => s.bus.emit('demo.changed', s.demo.status() ?? { running: false });
  return {
    'demo.start': async () => {
      const info = await s.demo.start();
      changed();
      return info;
    },
    'demo.newInstance': async () => {
      const inst = await s.demo.newInstance();
      changed();
      return instanceDetails(s.instances, inst);
    },
    'demo.status': () => s.demo.status() ?? { running: false },
    'demo.stop': async () => {
      await s.demo.stop();
      changed();
      return { running: false };
    },
    'demo.placeCall': ({ from, to }) => {
      if (!s.demo.status()) throw new ApiFailure('DEMO_NOT_RUNNING', 'The demo PBX is not running; start it first.');
      try {
        return { callId: s.demo.placeCall(from, to) };
      } catch (e) {
        throw new ApiFailure('DEMO_CALL_FAILED', `The demo PBX did not place the call from ${from} to ${to}: ${(e as Error).message}`);
      }
    },
  };
}
