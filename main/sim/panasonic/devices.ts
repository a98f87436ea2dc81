import { readFileSync } from 'node:fs';

/**
 * The simulated PBX's extensions. A Panasonic PBX reports each device with a numeric device number (what clients
 * monitor by) and its dialing number; kinds and Super-Twin pairs mirror the set-ups the estos driver documents.
 */
export type DeviceKind = 'proprietary' | 'sip' | 'dect' | 'analogue';
export const DEVICE_KINDS: readonly DeviceKind[] = ['proprietary', 'sip', 'dect', 'analogue'];

/** The most devices one simulator holds; the product must cope with PBXs this large. */
export const MAX_DEVICES = 50_000;

export interface SimDevice {
  /** Dialing number, e.g. "101". */
  number: string;
  /** The PBX-internal device number (CSTA DeviceID.deviceNumber), unique, stable for one configuration. */
  deviceNumber: number;
  /** Display name; empty when the PBX has none programmed. */
  name: string;
  kind: DeviceKind;
  /** Super-Twin partner: a desk phone names its DECT handset and the other way round. */
  twin?: string;
}

export interface DeviceSpec {
  number: string;
  kind?: DeviceKind;
  name?: string;
}

export interface DeviceConfig {
  /** Ranges of proprietary extensions, e.g. "100-199,300-310". */
  extensions?: string;
  /** Ranges of SIP extensions. */
  sip?: string;
  dect?: string;
  analogue?: string;
  /** Super-Twin pairs "desk:dect,desk:dect", each number already configured above (desk first). */
  twins?: string;
  /** Give every device a generated person's name (default: no names, like a freshly installed PBX). */
  names?: boolean;
  /** Explicit devices, added after the ranges. */
  devices?: DeviceSpec[];
}

/** A configuration mistake with the facts: which option, which piece, why. */
export class DeviceConfigError extends Error {
  readonly code = 'SIM_DEVICE_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'DeviceConfigError';
  }
}

/** Expands "100-199,300-310,555" into dialing numbers, keeping leading zeros and digit counts of the bounds. */
export function parseRanges(text: string, option = 'ranges'): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(part);
    if (!m) throw new DeviceConfigError(`${option}: "${part}" is not a number or a range like 100-199`);
    const [, from, to = from] = m;
    if (from.length !== to.length) throw new DeviceConfigError(`${option}: "${part}" has bounds of different length`);
    const a = Number(from);
    const b = Number(to);
    if (b < a) throw new DeviceConfigError(`${option}: "${part}" ends before it starts`);
    if (out.length + (b - a + 1) > MAX_DEVICES) throw new DeviceConfigError(`${option}: more than ${MAX_DEVICES} devices`);
    for (let n = a; n <= b; n++) out.push(String(n).padStart(from.length, '0'));
  }
  return out;
}

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Jonas', 'Katrin', 'Lukas', 'Maria', 'Nils', 'Olga', 'Paul', 'Rosa', 'Simon', 'Tanja', 'Uwe'];
const LAST = ['Albrecht', 'Becker', 'Chen', 'Dietrich', 'Engel', 'Fischer', 'Graf', 'Hoffmann', 'Ismail', 'Jung', 'Keller', 'Lange', 'Meyer', 'Novak', 'Otto', 'Peters', 'Richter', 'Schmidt', 'Tran', 'Vogel', 'Weber', 'Young', 'Zimmer'];

/** A deterministic, varied person's name for the i-th device (same configuration → same names). */
export function generatedName(i: number): string {
  return `${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}, ${FIRST[i % FIRST.length]}`;
}

/** The device table: lookups by dialing number and by device number, in configuration order. */
export class DeviceDirectory {
  private readonly byNumber = new Map<string, SimDevice>();
  private readonly byDeviceNumber = new Map<number, SimDevice>();
  readonly list: readonly SimDevice[];

  constructor(devices: SimDevice[]) {
    for (const d of devices) {
      if (this.byNumber.has(d.number)) throw new DeviceConfigError(`device ${d.number} is configured twice`);
      this.byNumber.set(d.number, d);
      this.byDeviceNumber.set(d.deviceNumber, d);
    }
    this.list = devices;
  }

  get size(): number {
    return this.list.length;
  }
  get(number: string): SimDevice | undefined {
    return this.byNumber.get(number);
  }
  byDevNumber(deviceNumber: number): SimDevice | undefined {
    return this.byDeviceNumber.get(deviceNumber);
  }
  has(number: string): boolean {
    return this.byNumber.has(number);
  }
}

/** Builds the directory from ranges, explicit devices and twin pairs; throws DeviceConfigError on any mistake. */
export function buildDevices(config: DeviceConfig): DeviceDirectory {
  const specs: DeviceSpec[] = [];
  const ranges: Array<[keyof DeviceConfig, DeviceKind]> = [
    ['extensions', 'proprietary'],
    ['sip', 'sip'],
    ['dect', 'dect'],
    ['analogue', 'analogue'],
  ];
  for (const [option, kind] of ranges) {
    const text = config[option];
    if (typeof text === 'string') for (const number of parseRanges(text, `--${option}`)) specs.push({ number, kind });
  }
  for (const d of config.devices ?? []) specs.push(d);
  if (specs.length > MAX_DEVICES) throw new DeviceConfigError(`${specs.length} devices configured, at most ${MAX_DEVICES} are supported`);

  const devices: SimDevice[] = specs.map((s, i) => {
    if (!/^[0-9*#]{1,20}$/.test(s.number)) throw new DeviceConfigError(`device "${s.number}": a dialing number has 1-20 digits`);
    const kind = s.kind ?? 'proprietary';
    if (!DEVICE_KINDS.includes(kind)) throw new DeviceConfigError(`device ${s.number}: unknown kind "${kind}" (${DEVICE_KINDS.join(', ')})`);
    return { number: s.number, deviceNumber: i + 1, name: s.name ?? (config.names ? generatedName(i) : ''), kind };
  });
  const dir = new DeviceDirectory(devices);
  for (const raw of (config.twins ?? '').split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const m = /^([0-9*#]+):([0-9*#]+)$/.exec(pair);
    if (!m) throw new DeviceConfigError(`--twins: "${pair}" is not desk:dect`);
    const desk = dir.get(m[1]);
    const dect = dir.get(m[2]);
    if (!desk || !dect) throw new DeviceConfigError(`--twins: "${pair}" names a device that is not configured`);
    if (dect.kind !== 'dect') throw new DeviceConfigError(`--twins: ${dect.number} must be a DECT device to be a Super-Twin handset`);
    if (desk.kind === 'dect') throw new DeviceConfigError(`--twins: ${desk.number} must be a desk phone, not DECT`);
    if (desk.twin || dect.twin) throw new DeviceConfigError(`--twins: ${pair} reuses a device that already has a twin`);
    desk.twin = dect.number;
    dect.twin = desk.number;
  }
  return dir;
}

/**
 * Reads a device file: JSON `{ "devices": [{ "number", "kind"?, "name"? }], "twins"?: "100:500" }` or plain text,
 * one device a line: `number [kind] [name…]`, a `#` after a space starts a comment. Errors name the file and line.
 */
export function readDeviceFile(path: string): Pick<DeviceConfig, 'devices' | 'twins'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DeviceConfigError(`cannot read device file ${path}: ${(e as Error).message}`);
  }
  if (text.trimStart().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new DeviceConfigError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    const d = doc as { devices?: unknown; twins?: unknown };
    if (!Array.isArray(d.devices)) throw new DeviceConfigError(`${path}: "devices" must be an array`);
    const devices = d.devices.map((x, i): DeviceSpec => {
      const o = x as Record<string, unknown>;
      if (typeof o?.number !== 'string') throw new DeviceConfigError(`${path}: devices[${i}].number must be a string`);
      return { number: o.number, kind: o.kind as DeviceKind | undefined, name: typeof o.name === 'string' ? o.name : undefined };
    });
    return { devices, twins: typeof d.twins === 'string' ? d.twins : undefined };
  }
  const devices: DeviceSpec[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const [number, second, ...rest] = content.split(/\s+/);
    if (!/^[0-9*#]{1,20}$/.test(number)) throw new DeviceConfigError(`${path}:${i + 1}: "${number}" is not a dialing number`);
    if (second && DEVICE_KINDS.includes(second as DeviceKind)) devices.push({ number, kind: second as DeviceKind, name: rest.join(' ') || undefined });
    else devices.push({ number, name: [second, ...rest].filter(Boolean).join(' ') || undefined });
  });
  return { devices };
}
