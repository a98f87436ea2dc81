// The Panasonic driver: CSTA Phase III to a KX-TDA/TDE/NCP/NS PBX, directly or through a CSTA multiplexer. The
// CSTA logic is the shared CstaLineDriver; this file is Panasonic's dialect of it.
import { partyId, type CallControlEvent, type SwitchingFunctionDevice } from '../../protocols/csta/model';
import type { DeviceKind } from '../../../shared/api/drivers';
import type { DriverLineEvent, LineRef } from '../driver';
import { CstaLineDriver, type CstaDialect } from '../shared/csta-line-driver';
import { openLink, type LinkOptions } from './csta-link';
import { kmeDeviceList } from './kme';

export interface PanasonicDriverOptions extends LinkOptions {
  /** Snapshot probes in flight at once while probing the ranges (default 16). */
  probeConcurrency?: number;
}

/** Device model names the PBX reports, mapped to the kinds the SIP filter and the UI know. */
function kindOf(device: SwitchingFunctionDevice): DeviceKind {
  const m = (device.deviceModelName ?? '').toLowerCase();
  if (m.includes('sip')) return 'sip';
  if (m.includes('dect') || m.includes('ps')) return 'dect';
  if (m.includes('analog') || m.includes('slt')) return 'analogue';
  if (m.includes('propr') || m.includes('dpt') || m.includes('ipt') || m.includes('apt')) return 'proprietary';
  return 'unknown';
}

/**
 * Super-Twin: a desk line's monitor reports its call ringing at a second device too (Delivered at another device,
 * called number = the desk line); that device is the desk phone's DECT twin, which the runtime learns.
 */
function superTwin(out: DriverLineEvent, e: CallControlEvent, line: LineRef): void {
  if (e.name !== 'delivered') return;
  const alerting = partyId(e.alertingDevice);
  // The caller's monitor sees Delivered for the devices it rings as well: only a call to this line is its twin's.
  if (alerting && alerting !== line.number && partyId(e.calledDevice) === line.number) out.alertingDevice = alerting;
}

export function panasonicDialect(options: PanasonicDriverOptions): CstaDialect {
  return {
    family: 'panasonic',
    peer: `${options.host}:${options.port}`,
    open: () => openLink(options),
    kindOf,
    deviceLists: [kmeDeviceList],
    refine: superTwin,
  };
}

export class PanasonicDriver extends CstaLineDriver {
  constructor(readonly options: PanasonicDriverOptions) {
    super(panasonicDialect(options), { answerTimeoutMs: options.answerTimeoutMs, probeConcurrency: options.probeConcurrency });
  }
}
