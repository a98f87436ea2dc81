import { describe, expect, it } from 'vitest';
import { buildPreview, diffLines, expand, rangeTools } from './preview';
import type { DiscoveredDevice } from '../../../shared/api/drivers';

const dev = (number: string, name = '', kind: DiscoveredDevice['kind'] = 'proprietary'): DiscoveredDevice => ({ number, name, kind });

describe('discovery preview', () => {
  it('keeps stored names when names are not read, and takes the PBX names when they are', () => {
    const current = [{ number: '100', name: 'Reception' }];
    expect(diffLines(current, [dev('100', 'Anna')], false)).toMatchObject({ renamed: [], unchanged: 1, lines: [{ number: '100', name: 'Reception' }] });
    expect(diffLines(current, [dev('100', 'Anna')], true)).toMatchObject({ renamed: [{ number: '100', from: 'Reception', to: 'Anna' }], lines: [{ number: '100', name: 'Anna' }] });
    // An empty name from the PBX does not wipe a name the admin typed.
    expect(diffLines(current, [dev('100', '')], true).lines[0].name).toBe('Reception');
  });

  it('with the admin\'s choices keeps typed names and lines the PBX does not list, but not lines the SIP filter leaves out', () => {
    const current = [{ number: '100', name: 'Reception' }, { number: '101', name: '' }, { number: '900', name: 'Fax' }, { number: '200', name: 'Soft' }];
    const d = diffLines(current, [dev('100', 'Anna'), dev('101', 'Ben')], true, undefined, { keepNames: true, keepUnlisted: true, listed: [dev('100'), dev('101'), dev('200', 'Soft', 'sip')] });
    expect(d.renamed).toEqual([{ number: '101', from: '', to: 'Ben' }]);
    expect(d.removed).toEqual([{ number: '200', name: 'Soft' }]);
    expect(d.lines).toEqual([{ number: '100', name: 'Reception' }, { number: '101', name: 'Ben' }, { number: '900', name: 'Fax' }]);
  });

  it('keeps fields the PBX does not know, such as a stored Mobile address', () => {
    const d = diffLines([{ number: '100', name: 'A', mobile: '500' }], [dev('100', 'A')], true);
    expect(d.lines).toEqual([{ number: '100', name: 'A', mobile: '500' }]);
  });

  it('lists SIP lines as filtered with their rule and removes them from the lines', () => {
    const p = buildPreview(
      { requestId: 'r', instanceId: 'i' },
      { method: 'switchingFunctionDevices', devices: [dev('100', 'Desk'), dev('200', 'SIP softphone', 'sip')], outOfRange: 0, warnings: [] },
      { lines: [{ number: '200', name: 'SIP softphone' }], sipFilter: { mode: 'rules', rules: [{ kind: 'numberContains', pattern: '9' }, { kind: 'nameContains', pattern: 'SIP' }] }, readNames: true },
    );
    expect(p.filtered).toEqual([{ line: dev('200', 'SIP softphone', 'sip'), rule: 2, ruleKind: 'nameContains', pattern: 'SIP' }]);
    expect(p.removed).toEqual([{ number: '200', name: 'SIP softphone' }]);
    expect(p.added).toEqual([{ number: '100', name: 'Desk' }]);
    expect(p.lines.map((l) => l.number)).toEqual(['100']);
  });

  it('expands ranges keeping the digit count and reports bad ranges', () => {
    const r = rangeTools('08-10, 300');
    expect([...r.probeNumbers!()]).toEqual(['08', '09', '10', '300']);
    expect(r.count).toBe(4);
    expect(r.inRange!('09')).toBe(true);
    expect(r.inRange!('11')).toBe(false);
    expect(rangeTools('').inRange).toBeUndefined();
    expect(() => rangeTools('20-10')).toThrow(/backwards/);
    expect([...expand([])]).toEqual([]);
  });
});
