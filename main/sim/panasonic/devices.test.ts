import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDevices, DeviceConfigError, MAX_DEVICES, parseRanges, readDeviceFile } from './devices';

describe('simulated PBX devices', () => {
  it('expands extension ranges like 100-102,300 and keeps leading zeros', () => {
    expect(parseRanges('100-102,300')).toEqual(['100', '101', '102', '300']);
    expect(parseRanges('08-10')).toEqual(['08', '09', '10']);
  });

  it('rejects a malformed range and names the piece', () => {
    expect(() => parseRanges('100-9x', '--extensions')).toThrow(/--extensions: "100-9x"/);
    expect(() => parseRanges('200-100')).toThrow(/ends before it starts/);
  });

  it('builds proprietary, SIP, DECT and analogue devices with unique device numbers', () => {
    const dir = buildDevices({ extensions: '100-101', sip: '200', dect: '500', analogue: '600' });
    expect(dir.list.map((d) => [d.number, d.kind])).toEqual([
      ['100', 'proprietary'],
      ['101', 'proprietary'],
      ['200', 'sip'],
      ['500', 'dect'],
      ['600', 'analogue'],
    ]);
    expect(new Set(dir.list.map((d) => d.deviceNumber)).size).toBe(5);
    expect(dir.byDevNumber(dir.get('200')!.deviceNumber)?.number).toBe('200');
    expect(dir.get('100')!.name).toBe('');
  });

  it('gives devices generated names only when asked', () => {
    const dir = buildDevices({ extensions: '100-119', names: true });
    const names = dir.list.map((d) => d.name);
    expect(names.every((n) => /^\w+, \w+$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(20);
  });

  it('pairs a desk phone with its DECT handset as Super-Twin', () => {
    const dir = buildDevices({ extensions: '100', dect: '500', twins: '100:500' });
    expect(dir.get('100')!.twin).toBe('500');
    expect(dir.get('500')!.twin).toBe('100');
    expect(() => buildDevices({ extensions: '100-101', twins: '100:101' })).toThrow(/must be a DECT device/);
    expect(() => buildDevices({ extensions: '100', twins: '100:999' })).toThrow(/not configured/);
  });

  it('holds 50,000 devices and refuses more', () => {
    const dir = buildDevices({ extensions: '10000-59999' });
    expect(dir.size).toBe(MAX_DEVICES);
    expect(dir.get('59999')!.deviceNumber).toBe(MAX_DEVICES);
    expect(() => buildDevices({ extensions: '10000-60000' })).toThrow(DeviceConfigError);
  });

  it('refuses the same number configured twice', () => {
    expect(() => buildDevices({ extensions: '100-110', sip: '105' })).toThrow(/105 is configured twice/);
  });

  it('reads devices from a text file with kinds, names and comments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-sim-'));
    const path = join(dir, 'devices.txt');
    writeFileSync(path, '# reception\n100 proprietary Front Desk\n200 sip\n300 Meyer, Anna  # no kind given\n');
    const cfg = readDeviceFile(path);
    expect(cfg.devices).toEqual([
      { number: '100', kind: 'proprietary', name: 'Front Desk' },
      { number: '200', kind: 'sip', name: undefined },
      { number: '300', name: 'Meyer, Anna' },
    ]);
    writeFileSync(path, '100\nabc Name\n');
    expect(() => readDeviceFile(path)).toThrow(/devices\.txt:2: "abc"/);
  });

  it('reads devices and twins from a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-sim-'));
    const path = join(dir, 'devices.json');
    writeFileSync(path, JSON.stringify({ devices: [{ number: '100', name: 'Desk' }, { number: '500', kind: 'dect' }], twins: '100:500' }));
    const built = buildDevices(readDeviceFile(path));
    expect(built.get('100')).toMatchObject({ name: 'Desk', kind: 'proprietary', twin: '500' });
  });
});
