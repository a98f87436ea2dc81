import type { Family } from '../../../../shared/model/instance';
import type { Line } from '../../../../shared/model/line';

export type Column = 'number' | 'name' | 'deviceId' | 'mobile' | 'userId';

/** The columns of a family's line table: number and name, plus the family's own field. */
export function columnsFor(family: Family): Column[] {
  const extra: Partial<Record<Family, Column>> = { cme: 'deviceId', panasonic: 'mobile', broadworks: 'userId' };
  return extra[family] ? ['number', 'name', extra[family]!] : ['number', 'name'];
}

export function cell(line: Line, c: Column): string {
  return (line[c] as string | undefined) ?? '';
}

/** Numbers sort as numbers where both are plain digits, so 99 comes before 100. */
export function compareBy(c: Column, dir: 1 | -1): (a: Line, b: Line) => number {
  const coll = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return (a, b) => dir * coll.compare(cell(a, c), cell(b, c));
}
