import { describe, expect, it } from 'vitest';
import { locationSchema } from '../../../shared/model/rules';
import { CanonicalParseError, resolveLocation, toCanonical, toDialable } from './index';

const munich = resolveLocation(locationSchema.parse({ ranges: '100-199', useLocation: true, location: '49(89)1234' }));

describe('numbers the PBX reports, made canonical by the location', () => {
  it.each([
    ['150', false, '+49(89)1234-150', 'internal'],
    ['5551234', false, '+49(89)5551234', 'local'],
    ['0301234567', false, '+49301234567', 'national'],
    ['0891234150', false, '+49(89)1234-150', 'national'],
    ['00431531150', false, '+431531150', 'international'],
    ['+49 (89) 1234150', false, '+49(89)1234-150', 'canonical'],
    ['911', false, '911', 'special'],
    ['*31#', false, '*31#', 'special'],
    // Outgoing: the PBX reports the digits as dialed, access code included.
    ['00301234567', true, '+49301234567', 'national'],
    ['05551234', true, '+49(89)5551234', 'local'],
  ])('%s (outgoing %s) is %s', (raw, outgoing, output, kind) => {
    expect(toCanonical(munich, raw, outgoing)).toEqual({ input: raw, output, kind });
  });

  it('does nothing without a location in use', () => {
    expect(toCanonical(resolveLocation(locationSchema.parse({ ranges: '100-199', location: '49(89)1234' })), '150', false)).toBeNull();
  });
});

describe('canonical numbers from the PC, made dialable by the location', () => {
  it.each([
    ['+49(89)1234-150', '150', 'internal'],
    ['+49 (89) 1234150', '150', 'internal'],
    ['+49891234150', '150', 'internal'],
    ['+49(89)1234-250', '01234250', 'local'],
    ['+49(89)5551234', '05551234', 'local'],
    ['+49(30)12345-123', '003012345123', 'national'],
    ['+49301234567', '00301234567', 'national'],
    ['+43 (1) 531150', '000431531150', 'international'],
    ['+431531150', '000431531150', 'international'],
  ])('%s is dialed as %s', (input, output, kind) => {
    expect(toDialable(munich, input)).toEqual({ input, output, kind });
  });

  it('takes the access code and prefixes from the location', () => {
    const us = resolveLocation(locationSchema.parse({ useLocation: true, location: '1(425)882', accessCode: '9', nationalPrefix: '1', internationalPrefix: '011' }));
    expect(toDialable(us, '+1 (206) 5550100')?.output).toBe('912065550100');
    expect(toDialable(us, '+49(89)1234-100')?.output).toBe('901149891234100');
  });

  it('leaves dialable numbers alone and refuses a + number it cannot read', () => {
    expect(toDialable(munich, '0301234567')).toBeNull();
    expect(() => toDialable(munich, '+49(89)')).toThrow(CanonicalParseError);
    expect(() => toDialable(munich, '+49 abc')).toThrow(CanonicalParseError);
  });
});
