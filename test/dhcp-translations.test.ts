// Every coded failure of "Locate" (DHCPINFORM and Windows' DHCP client) has its sentence in English and German,
// with the params the code carries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';

const root = join(__dirname, '..');
const source = (p: string) => readFileSync(join(root, p), 'utf8');

describe('Locate failures in the console', () => {
  it('each DhcpErrorCode and DHCP_NO_TFTP_SERVER has a text in both languages that uses the same params', () => {
    const union = /export type DhcpErrorCode = ([^;]+);/.exec(source('main/protocols/dhcp/inform.ts'))![1];
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes).toEqual(expect.arrayContaining(['DHCP_NO_ANSWER', 'DHCP_API_ERROR', 'DHCP_API_UNAVAILABLE']));
    const errors = (t: typeof en) => t.errors as Record<string, string>;
    const params = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const code of [...codes, 'DHCP_NO_TFTP_SERVER']) {
      expect(errors(en)[code], code).toBeTruthy();
      expect(errors(de)[code], code).toBeTruthy();
      expect(errors(de)[code]).not.toBe(errors(en)[code]);
      expect(params(errors(de)[code]), code).toEqual(params(errors(en)[code]));
    }
    // The params the Windows path sends (main/protocols/dhcp/windows.test.ts checks them) are the ones the texts use.
    expect(params(errors(en).DHCP_API_ERROR)).toEqual(['adapter', 'error', 'interface']);
    expect(params(errors(en).DHCP_API_UNAVAILABLE)).toEqual(['cause', 'interface', 'program']);
  });
});
