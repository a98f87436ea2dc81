import { describe, expect, it } from 'vitest';
import { atLeast, FEATURE_TABLES, firmwareOf, supportOf } from './features';

describe('the manual\'s feature tables', () => {
  it('reads firmware versions from User-Agents', () => {
    expect(['snomD785/10.1.73.14', 'Yealink SIP-T46G 28.73.98.4', 'Auerswald COMfortel 2600 IP 2.8A', 'Mitel 6867i 4.1.0 SP2', 'Mitel 6867i/4.1.0.2033', 'baresip'].map(firmwareOf)).toEqual(['10.1.73.14', '28.73.98.4', '2.8A', '4.1.0 SP2', '4.1.0.2033', undefined]);
  });

  it('compares versions part by part, letters and service packs included, Yealink\'s model part ignored', () => {
    expect(atLeast('8.7.4', '8.7.3')).toBe(true);
    expect(atLeast('8.7.3', '8.7.4')).toBe(false);
    expect(atLeast('10.1.73.14', '8.7.4')).toBe(true);
    expect(atLeast('2.8A', '2.8A')).toBe(true);
    expect(atLeast('2.8', '2.8A')).toBe(false);
    expect(atLeast('2.8B', '2.8A')).toBe(true);
    expect(atLeast('4.1.0 SP1', '4.1.0 SP2')).toBe(false);
    expect(atLeast('4.1.1', '4.1.0 SP2')).toBe(true);
    expect(atLeast('4.1.0.2033', '4.1.0 SP2')).toBe(true);
    expect(atLeast('4.1.0.1024', '4.1.0 SP2')).toBe(false);
    expect(atLeast('28.81.0.15', 'xx.73.98.4')).toBe(true);
    expect(atLeast('28.73.98.4', 'xx.73.98.4')).toBe(true);
    expect(atLeast('28.72.0.1', 'xx.73.98.4')).toBe(false);
    expect(atLeast(undefined, '8.7.4')).toBe(true);
  });

  it('says per vendor and firmware what a phone takes: the manual\'s rows', () => {
    expect(supportOf('snom', '8.7.3', 'makeCall')).toBe('yes');
    expect(supportOf('snom', '8.7.3', 'deflectCall')).toEqual({ no: 'deflectCall needs snom firmware 8.7.4, the phone has 8.7.3' });
    expect(supportOf('snom', '10.1.73.14', 'snapshotCall')).toEqual({ no: 'snom phones do not support snapshotCall' });
    expect(supportOf('yealink', '28.73.98.4', 'systemRegister')).toEqual({ no: 'yealink phones do not support systemRegister' });
    expect(supportOf('mitel', '4.1.0 SP2', 'snapshotCall')).toBe('yes');
    expect(supportOf('auerswald', '2.8A', 'systemRegister')).toBe('yes');
    for (const vendor of Object.keys(FEATURE_TABLES) as Array<keyof typeof FEATURE_TABLES>) {
      expect(supportOf(vendor, undefined, 'alternateCall')).toBe('emulated');
      expect(supportOf(vendor, undefined, 'directedPickupCall')).toMatchObject({ no: expect.any(String) });
    }
    expect(supportOf('unknown', undefined, 'directedPickupCall')).toBe('yes');
  });
});
