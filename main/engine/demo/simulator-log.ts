import { coded, type Coded } from '../../../shared/problems';
import type { SimulatorLogger } from '../../drivers/registry';

/** The app's log as the demo hands it on: coded entries at any level, debug for the simulators' own reports. */
export interface DemoLogger {
  info(m: string | Coded): void;
  warn(m: string | Coded): void;
  error(m: string | Coded): void;
  debug(m: string | Coded): void;
}

/**
 * The log a demo simulator gets. A simulator writes English about the protocol (a peer it refused, a request it
 * could not read); in the app that is a debug entry naming the simulator's family, with the English kept as its
 * detail for the log file, so the console can say in the admin's language which simulator reported.
 */
export function simulatorLog(log: DemoLogger, family: string): SimulatorLogger {
  const report = (m: string | Coded) => log.debug(coded('logApp.simulator', { family, detail: typeof m === 'string' ? m : m.message }));
  // debug too: the simulated phones' SIP stack writes its traces there.
  return { info: report, warn: report, error: report, debug: report };
}
