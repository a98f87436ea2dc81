import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';

describe('linekeeper location', () => {
  it('prints the canonical number of each extension', async () => {
    expect(await runCliCapture(['location', 'format', '--location', '49(89)1234', '100', '2001'])).toMatchObject({ code: 0, stdout: '+49(89)1234-100\n+49(89)1234-2001\n' });
  });
  it('exits 2 for a malformed location or extension', async () => {
    expect((await runCliCapture(['location', 'format', '--location', '49-89', '100'])).code).toBe(2);
    expect((await runCliCapture(['location', 'format', '--location', '49(89)1234', '1a'])).code).toBe(2);
    expect((await runCliCapture(['location', 'format', '--location', '49(89)1234', '--ranges', '200-100', '150'])).code).toBe(2);
  });
  it('exits 1 for an extension outside the given ranges', async () => {
    const r = await runCliCapture(['location', 'format', '--location', '49(89)1234', '--ranges', '100-199', '150', '250']);
    expect(r).toMatchObject({ code: 1, stdout: '+49(89)1234-150\n+49(89)1234-250\n', stderr: expect.stringContaining('250 is outside') });
  });
  it('reads canonical numbers in TAPI form and writes one form', async () => {
    expect(await runCliCapture(['location', 'parse', '--location', '49(89)1234', '+49 (89) 1234100', '+49(30)555-1'])).toMatchObject({ code: 0, stdout: '+49(89)1234-100\n+49(30)555-1\n' });
  });
});
