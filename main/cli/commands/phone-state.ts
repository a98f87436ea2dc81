import { coded, type Coded } from '../../../shared/problems';
import type { UacstaPhoneStatus } from '../../../shared/api/uacsta';

/** A phone's state change as a coded log entry (`uacsta` and the service print the same line). */
export function phoneState(p: { mac: string; type?: string; lastIp: string; status: UacstaPhoneStatus; identity?: string }): Coded {
  const facts = { mac: p.mac, type: p.type ?? '', address: p.lastIp, status: p.status };
  return p.identity ? coded('logApp.phoneStateAs', { ...facts, identity: p.identity }) : coded('logApp.phoneState', facts);
}
