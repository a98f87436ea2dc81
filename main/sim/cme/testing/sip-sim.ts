// Test helper: CME simulators with their SIP side, closed (with whatever else a test registers) after each test.
import { afterEach } from 'vitest';
import { startCmeSim, type CmeSim } from '../index';

/** Registers cleanups run in reverse after each test, and returns a starter for a 4-phone simulator with SIP. */
export function sipSimsPerTest(): { cleanup: Array<() => unknown>; sim(authenticateRegister?: boolean): Promise<CmeSim> } {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  return {
    cleanup,
    async sim(authenticateRegister = false) {
      const s = await startCmeSim({ phones: 4, sip: { port: 0, authenticateRegister } });
      cleanup.push(() => s.close());
      return s;
    },
  };
}
