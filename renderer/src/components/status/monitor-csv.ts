import type { LineEvent } from '../../../../shared/api/drivers';
import { guardFormula } from '../../../../shared/csv-cells';

const HEADER = ['time', 'line', 'twin', 'event', 'callState', 'remote', 'lineState', 'cause'];

/**
 * The monitor's events as CSV (comma, CRLF). A remote number or cause comes from the PBX or a caller, so every cell
 * is guarded as the line export guards names: a spreadsheet never runs it as a formula.
 */
export function monitorCsv(events: readonly LineEvent[]): string {
  const cells = (e: LineEvent) => [e.time, e.line, e.twin ?? '', e.event, e.callState ?? '', e.numbers.remote ?? '', e.lineState, e.cause ?? ''];
  const quote = (raw: string) => {
    const v = guardFormula(raw);
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return [HEADER, ...events.map(cells)].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
