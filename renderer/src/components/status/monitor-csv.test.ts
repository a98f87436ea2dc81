import { describe, expect, it } from 'vitest';
import type { LineEvent } from '../../../../shared/api/drivers';
import { unguardFormula } from '../../../../shared/csv-cells';
import { monitorCsv } from './monitor-csv';

const event = (remote: string | null, cause: string | null = null): LineEvent => ({
  instanceId: 'i',
  line: '101',
  number: '101',
  display: '101',
  event: 'delivered',
  callId: '0002',
  callState: 'alerting',
  numbers: { calling: remote, called: '101', remote },
  cause,
  time: '2026-12-07T12:00:00.000Z',
  lineState: 'open',
});

describe('line monitor CSV export', () => {
  it('writes cells a spreadsheet would run as a formula with a leading apostrophe, as the line export does', () => {
    const remotes = ['=HYPERLINK("http://evil","x")', '+49301234567', '-1+1', '@SUM(A1)', "'=kept", '102'];
    const rows = monitorCsv([...remotes.map((r) => event(r)), event(null, '=cmd|x')]).split('\r\n');
    expect(rows[0]).toBe('time,line,twin,event,callState,remote,lineState,cause');
    expect(rows.slice(1, -1)).toEqual([
      '2026-12-07T12:00:00.000Z,101,,delivered,alerting,"\'=HYPERLINK(""http://evil"",""x"")",open,',
      "2026-12-07T12:00:00.000Z,101,,delivered,alerting,'+49301234567,open,",
      "2026-12-07T12:00:00.000Z,101,,delivered,alerting,'-1+1,open,",
      "2026-12-07T12:00:00.000Z,101,,delivered,alerting,'@SUM(A1),open,",
      "2026-12-07T12:00:00.000Z,101,,delivered,alerting,''=kept,open,",
      '2026-12-07T12:00:00.000Z,101,,delivered,alerting,102,open,',
      "2026-12-07T12:00:00.000Z,101,,delivered,alerting,,open,'=cmd|x",
    ]);
    expect(rows.at(-1)).toBe('');
    // Reading a guarded cell back gives the value as the PBX sent it.
    expect(["'+49301234567", "''=kept", '102'].map(unguardFormula)).toEqual(['+49301234567', "'=kept", '102']);
  });
});
