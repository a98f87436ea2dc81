import { describe, expect, it } from 'vitest';
import { LoginGuard, printable, sameSecret } from './login-guard';

describe('login guard', () => {
  it('makes an address wait longer after each failure, locks it out after the limit and forgets it afterwards', () => {
    const g = new LoginGuard({ backoffMs: 100, lockoutFailures: 3, lockoutMs: 10_000 });
    expect(g.gate('10.0.0.1', 0)).toEqual({ open: true });
    expect(g.failed('10.0.0.1', 0)).toMatchObject({ failures: 1, lockedOut: false, until: 100 });
    expect(g.gate('10.0.0.1', 50)).toMatchObject({ open: false, until: 100, lockedOut: false });
    expect(g.gate('10.0.0.2', 50)).toEqual({ open: true });
    expect(g.failed('10.0.0.1', 100)).toMatchObject({ failures: 2, until: 300 });
    expect(g.failed('10.0.0.1', 300)).toMatchObject({ failures: 3, lockedOut: true, until: 10_300 });
    expect(g.gate('10.0.0.1', 5_000)).toMatchObject({ open: false, lockedOut: true });
    // after the lockout the address starts afresh
    expect(g.gate('10.0.0.1', 10_300)).toEqual({ open: true });
    expect(g.failed('10.0.0.1', 10_400)).toMatchObject({ failures: 1 });
  });

  it('clears an address on a good login', () => {
    const g = new LoginGuard({ backoffMs: 100 });
    g.failed('a', 0);
    g.failed('a', 100);
    g.succeeded('a');
    expect(g.failed('a', 200)).toMatchObject({ failures: 1 });
  });

  it('remembers a bounded number of addresses, forgetting the one that failed longest ago', () => {
    const g = new LoginGuard({ backoffMs: 1000, maxAddresses: 3 });
    for (const a of ['a', 'b', 'c']) g.failed(a, 0);
    g.failed('a', 10);
    g.failed('d', 20);
    expect(g.gate('b', 30)).toEqual({ open: true });
    for (const a of ['a', 'c', 'd']) expect(g.gate(a, 30).open).toBe(false);
  });
});

describe('secrets and log text', () => {
  it('compares secrets of any lengths, in UTF-8', () => {
    expect(sameSecret('sécret', 'sécret')).toBe(true);
    expect(sameSecret('sécret', 'secret')).toBe(false);
    expect(sameSecret('', 'a much longer expected password')).toBe(false);
  });

  it('escapes what could forge a log line or repaint a terminal, and leaves the rest', () => {
    expect(printable('Müller-Lüdenscheidt 李')).toBe('Müller-Lüdenscheidt 李');
    expect(printable('a\nINFO b\r\u001b[2J\u0000\u007f\u0085\u2028\u202e\u2066\\')).toBe('a\\x0aINFO b\\x0d\\x1b[2J\\x00\\x7f\\x85\\u2028\\u202e\\u2066\\\\');
  });
});
