import type { ImportRow, RowProblem } from './row';

/** Internal numbers, line buttons and mobile addresses: an optional `+`, then digits, `*` and `#`. */
const NUMBER = /^\+?[0-9*#]{1,32}$/;
/** CME device ID: the phone's MAC address, 12 hex digits, optionally written with the `SEP` prefix. */
const DEVICE_ID = /^(SEP)?[0-9A-Fa-f]{12}$/;
const USER_ID = /^\S{1,128}$/;
const MAX_NAME = 256;

function numberProblem(value: string, what: string): string | undefined {
  if (value === '') return `${what} is empty`;
  if (NUMBER.test(value)) return undefined;
  const hint = /[;,]/.test(value) ? ' (does the file use another format? see --format)' : '';
  return `${what} "${value}" is not a valid number: use digits, * and #, optionally starting with +${hint}`;
}

/** Checks one row's values; returns every problem found, each naming the file line and the field. */
export function validateRow(row: ImportRow): RowProblem[] {
  const problems: RowProblem[] = [];
  const { line, values } = row;
  const numberError = numberProblem(values.number, 'number');
  if (numberError) problems.push({ line, field: 'number', message: numberError });
  if (values.name !== undefined && values.name.length > MAX_NAME) {
    problems.push({ line, field: 'name', message: `name is longer than ${MAX_NAME} characters` });
  }
  if (values.name !== undefined && /[\r\n]/.test(values.name)) {
    problems.push({ line, field: 'name', message: 'name contains a line break' });
  }
  if (values.deviceId && !DEVICE_ID.test(values.deviceId)) {
    problems.push({ line, field: 'deviceId', message: `device ID "${values.deviceId}" is not a MAC address (12 hex digits, optionally after SEP)` });
  }
  for (const b of values.buttons ?? []) {
    const e = numberProblem(b, 'line button');
    if (e) problems.push({ line, field: 'buttons', message: e });
  }
  if (values.mobile) {
    const e = numberProblem(values.mobile, 'mobile address');
    if (e) problems.push({ line, field: 'mobile', message: e });
  }
  if (values.userId && !USER_ID.test(values.userId)) {
    problems.push({ line, field: 'userId', message: `user ID "${values.userId}" must not contain spaces` });
  }
  return problems;
}
