import { describe, expect, it } from 'vitest';
import { locationSchema } from '../../../shared/model/rules';
import { classifyNumber, formatExtensions, lineDisplayNumber, parseCanonical, parseLocationPrefix, parseRanges, resolveLocation, validateLocation, LocationError } from './index';

const munich = parseLocationPrefix('49(89)1234');
if (!munich.ok) throw new Error('fixture');
const prefix = munich.prefix;
const loc = (v: object) => resolveLocation(locationSchema.parse(v));

describe('extension ranges', () => {
  it('reads ranges and single extensions', () => {
    const r = parseRanges('100-199, 2000-2099; 300');
    expect(r.ok && r.ranges.map((x) => [x.from, x.to])).toEqual([['100', '199'], ['2000', '2099'], ['300', '300']]);
  });
  it('rejects a reversed range and says where it is', () => {
    expect(parseRanges('100-199, 299-200')).toEqual({ ok: false, problems: [expect.objectContaining({ offset: 9, length: 7, message: expect.stringContaining('backwards; write 200-299') })] });
  });
  it('rejects overlapping ranges, naming both', () => {
    const r = parseRanges('100-199, 150-160');
    expect(r).toEqual({ ok: false, problems: [expect.objectContaining({ offset: 9, message: '"150-160" at position 10 overlaps "100-199"' })] });
    expect(parseRanges('300, 100-399').ok).toBe(false);
  });
  it('rejects text that is not a range', () => {
    expect(parseRanges('100-abc').ok).toBe(false);
  });
});

describe('location', () => {
  it('writes extension 100 at location 49(89)1234 as +49(89)1234-100', () => {
    const l = loc({ ranges: '100-199', useLocation: true, location: '49(89)1234', display: 'canonical' });
    expect(formatExtensions(l, ['100', '250'])).toEqual([
      { extension: '100', canonical: '+49(89)1234-100', display: '+49(89)1234-100', internal: true },
      { extension: '250', canonical: '+49(89)1234-250', display: '+49(89)1234-250', internal: false },
    ]);
  });
  it('shows the internal number when the display is set to internal', () => {
    expect(lineDisplayNumber(loc({ useLocation: true, location: '49(89)1234', display: 'internal' }), '100')).toBe('100');
  });
  it('accepts the location with a plus and spaces', () => {
    expect(parseLocationPrefix('+49 (89) 1234')).toEqual({ ok: true, prefix });
  });
  it('reports a malformed location and bad ranges together', () => {
    const problems = validateLocation(locationSchema.parse({ ranges: '199-100', useLocation: true, location: '49-89-1234' }));
    expect(problems.map((p) => p.field)).toEqual(['ranges', 'location']);
    expect(() => loc({ ranges: '199-100' })).toThrow(LocationError);
  });
});

describe('canonical numbers', () => {
  it.each([
    ['+49(89)1234-100', '+49(89)1234-100', '100'],
    ['+49 (89) 1234-100', '+49(89)1234-100', '100'],
    ['+49 (30) 12345-123', '+49(30)12345-123', '123'],
    ['+43 (1) 531150', '+43(1)531150', null],
  ])('reads %s leniently and writes %s', (text, canonical, extension) => {
    expect(parseCanonical(text)).toMatchObject({ canonical, extension });
  });
  it('splits the TAPI form of our own number at the base number', () => {
    expect(parseCanonical('+49 (89) 1234100', prefix)).toEqual({ country: '49', area: '89', local: '1234', extension: '100', canonical: '+49(89)1234-100' });
  });
  it('reads a super-canonical number when the location is known', () => {
    expect(parseCanonical('+49891234100', prefix).canonical).toBe('+49(89)1234-100');
    expect(() => parseCanonical('+49891234100')).toThrow(/area code is unknown/);
  });
  it('refuses text that is not a canonical number', () => {
    expect(() => parseCanonical('089 1234')).toThrow(/not a canonical number/);
  });
  it('classifies extensions and our own canonical numbers as internal, others as external', () => {
    const l = loc({ ranges: '100-199, 2000-2099', useLocation: true, location: '49(89)1234' });
    expect(classifyNumber(l, '150')).toEqual({ internal: true, extension: '150' });
    expect(classifyNumber(l, '+49 (89) 1234150')).toEqual({ internal: true, extension: '150' });
    expect(classifyNumber(l, '300')).toEqual({ internal: false, extension: null });
    expect(classifyNumber(l, '0150')).toEqual({ internal: false, extension: null });
    expect(classifyNumber(l, '+49(30)1234-150')).toEqual({ internal: false, extension: null });
  });
});
