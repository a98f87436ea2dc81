// The manual's per-vendor feature tables (§2.4, revised 2016/04) as data: for each CSTA service the firmware
// version it needs, `no`, or `emulated` (AlternateCall, done with HoldCall and RetrieveCall). DialDigits is not in
// the CSTA model at all, so it is missing here as everywhere. The server refuses what a phone cannot do before
// sending it.
import type { PhoneVendorName } from './phone-interface';

export type FeatureSupport = { since: string } | 'no' | 'emulated';

const ALL = [
  'makeCall', 'answerCall', 'clearConnection', 'holdCall', 'retrieveCall', 'alternateCall', 'conferenceCall', 'transferCall',
  'generateDigits', 'consultationCall', 'singleStepTransferCall', 'deflectCall', 'directedPickupCall', 'getDoNotDisturb',
  'setDoNotDisturb', 'getForwarding', 'setForwarding', 'monitorStart', 'monitorStop', 'getSwitchingFunctionDevices',
  'snapshotDevice', 'snapshotCall', 'systemRegister', 'systemRegisterCancel', 'requestSystemStatus',
] as const;
export type TableService = (typeof ALL)[number];

function table(since: string, later: Partial<Record<TableService, string>>, no: TableService[]): Record<TableService, FeatureSupport> {
  const out = {} as Record<TableService, FeatureSupport>;
  for (const s of ALL) out[s] = s === 'alternateCall' ? 'emulated' : no.includes(s) ? 'no' : { since: later[s] ?? since };
  return out;
}

export const FEATURE_TABLES: Record<Exclude<PhoneVendorName, 'unknown'>, Record<TableService, FeatureSupport>> = {
  auerswald: table('2.8A', {}, ['directedPickupCall', 'snapshotCall']),
  mitel: table('4.1.0 SP2', {}, ['directedPickupCall', 'systemRegister', 'systemRegisterCancel']),
  snom: table('8.7.3', { consultationCall: '8.7.4', singleStepTransferCall: '8.7.4', deflectCall: '8.7.4', getDoNotDisturb: '8.7.4', setDoNotDisturb: '8.7.4', getForwarding: '8.7.4', setForwarding: '8.7.4', monitorStop: '8.7.4', systemRegister: '8.7.4', systemRegisterCancel: '8.7.4' }, ['directedPickupCall', 'snapshotCall']),
  // Yealink's versions are "xx.73.98.4": the first part is the model's, only the rest is compared
  yealink: table('xx.73.98.4', {}, ['directedPickupCall', 'snapshotCall', 'systemRegister', 'systemRegisterCancel']),
};

/** The firmware version in a User-Agent ("snomD785/10.1.73.14", "Yealink SIP-T46G 28.73.98.4", "… 2.8A"). */
export function firmwareOf(userAgent: string): string | undefined {
  return /(\d+(?:\.\d+)+[A-Za-z]?(?:\s+SP\d+)?)\s*$/.exec(userAgent.trim())?.[1];
}

/**
 * Version parts as numbers and letters; `xx` parts are wildcards (undefined). A service pack is a fourth number,
 * in thousands ("4.1.0 SP2" → 4,1,0,2000), so that Mitel's builds compare with it: the manual's Mitel guide uses
 * 4.1.0.2033 where its table asks for 4.1.0 SP2 (our reading: a build in the 2000s is SP2 or later).
 */
function parts(v: string): Array<number | string | undefined> {
  const sp = v.replace(/\s*SP\s*(\d+)$/i, (_, n: string) => `.${Number(n) * 1000}`);
  return (sp.match(/xx|\d+|[A-Za-z]+/g) ?? []).map((p) => (p === 'xx' ? undefined : /^\d+$/.test(p) ? Number(p) : p.toUpperCase()));
}

/** Whether `firmware` is at least `since`; unknown firmware is given the benefit of the doubt. */
export function atLeast(firmware: string | undefined, since: string): boolean {
  if (!firmware) return true;
  const a = parts(firmware);
  const b = parts(since);
  for (let i = 0; i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (y === undefined) continue;
    if (x === undefined) return false;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x > y;
    return String(x) > String(y);
  }
  return true;
}

/** How a phone of this vendor and firmware takes a service: `yes`, `no` (with why), or `emulated`. */
export function supportOf(vendor: PhoneVendorName, firmware: string | undefined, service: string): 'yes' | 'emulated' | { no: string } {
  if (vendor === 'unknown') return 'yes';
  const f = FEATURE_TABLES[vendor][service as TableService];
  if (f === undefined) return 'yes';
  if (f === 'emulated') return 'emulated';
  if (f === 'no') return { no: `${vendor} phones do not support ${service}` };
  return atLeast(firmware, f.since) ? 'yes' : { no: `${service} needs ${vendor} firmware ${f.since}, the phone has ${firmware}` };
}

export interface FeatureRow {
  service: TableService;
  /** `yes` (the phone's firmware has it), `no` (with why), `emulated` (AlternateCall). */
  support: 'yes' | 'no' | 'emulated';
  /** The firmware the manual's table names, when it names one. */
  since?: string;
  why?: string;
}

/** A phone's row of the manual's table, per service, for its vendor and firmware (the console's phone detail). */
export function featuresOf(vendor: PhoneVendorName, firmware: string | undefined): FeatureRow[] {
  return ALL.map((service) => {
    const f = vendor === 'unknown' ? undefined : FEATURE_TABLES[vendor][service];
    const s = supportOf(vendor, firmware, service);
    return { service, support: typeof s === 'object' ? 'no' : s, ...(f && typeof f === 'object' ? { since: f.since } : {}), ...(typeof s === 'object' ? { why: s.no } : {}) };
  });
}
