import { describe, expect, it } from 'vitest';
import { columnsFor, compareBy } from './columns';

describe('lines table columns', () => {
  it('shows the family’s own field next to number and name', () => {
    expect(columnsFor('cme')).toEqual(['number', 'name', 'deviceId']);
    expect(columnsFor('panasonic')).toEqual(['number', 'name', 'mobile']);
    expect(columnsFor('sip-phones')).toEqual(['number', 'name']);
  });

  it('sorts numbers numerically, so 99 comes before 100, and reverses on the second click', () => {
    const lines = [{ number: '100', name: '' }, { number: '99', name: '' }, { number: '1000', name: '' }];
    expect(lines.slice().sort(compareBy('number', 1)).map((l) => l.number)).toEqual(['99', '100', '1000']);
    expect(lines.slice().sort(compareBy('number', -1)).map((l) => l.number)).toEqual(['1000', '100', '99']);
  });
});
