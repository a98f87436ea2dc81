import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { PUBLIC_KEY_ENV } from '../../engine/licences';

let dir: string;
let data: string;
let priv: string;
let pub: string;
const cli = (...argv: string[]) => runCliCapture([...argv, '--data-dir', data]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-licences-cli-'));
  data = join(dir, 'data');
  priv = join(dir, 'vendor.key');
  pub = join(dir, 'vendor.pub');
  const r = await runCliCapture(['licences', 'keygen', '--private-key', priv, '--public-key', pub]);
  expect(r.code).toBe(0);
  process.env[PUBLIC_KEY_ENV] = pub;
});
afterAll(() => {
  delete process.env[PUBLIC_KEY_ENV];
  rmSync(dir, { recursive: true, force: true });
});

async function issue(...args: string[]) {
  const r = await runCliCapture(['licences', 'issue', '--private-key', priv, ...args]);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('linekeeper licences (vendor side)', () => {
  it('keygen writes a private key only the user can read and refuses to overwrite it', async () => {
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    expect(await runCliCapture(['licences', 'keygen', '--private-key', priv, '--public-key', join(dir, 'other.pub')])).toMatchObject({ code: 1, stderr: expect.stringContaining('refusing to overwrite') });
  });

  it('issue refuses bad arguments', async () => {
    expect(await runCliCapture(['licences', 'issue', '--private-key', priv, '--lines', 'ten', '--id', 'A'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--lines must be a whole number') });
    expect(await runCliCapture(['licences', 'issue', '--private-key', priv, '--lines', '10'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--id') });
    expect(await runCliCapture(['licences', 'issue', '--private-key', pub, '--lines', '10', '--id', 'A'])).toMatchObject({ code: 1, stderr: expect.stringContaining('not an Ed25519 private key') });
  });
});

describe('linekeeper licences status and add', () => {
  it('shows the trial on a new data directory', async () => {
    const r = await cli('licences', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Licences: 25 (trial), 0 in use, 25 free');
    expect(r.stdout).toContain('Trial: 45 days left, 25 lines');
    expect(r.stdout).toContain('Keys: none');
  });

  it('adds an issued key; status shows it, in JSON too', async () => {
    const key = await issue('--lines', '40', '--id', 'ORDER-7', '--licensee', 'ACME');
    expect(await cli('licences', 'add', key)).toMatchObject({ code: 0, stdout: 'licence key added; 40 lines licensed in total\n' });
    const text = await cli('licences', 'status');
    expect(text.stdout).toContain('Licences: 40 (40 licensed by key)');
    expect(text.stdout).toContain('Key ORDER-7: 40 lines');
    const json = JSON.parse((await cli('licences', 'status', '--json')).stdout);
    expect(json).toMatchObject({ total: 40, licensed: 40, keys: [{ id: 'ORDER-7', lines: 40, licensee: 'ACME', valid: true }], trial: { active: true } });
  });

  it('refuses the same key twice, a tampered key and a key from another vendor, exit 1 with the reason', async () => {
    const key = await issue('--lines', '5', '--id', 'ORDER-7');
    expect(await cli('licences', 'add', key)).toMatchObject({ code: 1, stderr: expect.stringContaining('ID ORDER-7 (40 lines) was already entered') });
    const [p, payload, sig] = (await issue('--lines', '5', '--id', 'ORDER-8')).split('.');
    const tampered = `${p}.${Buffer.from(Buffer.from(payload, 'base64url').toString().replace('"lines":5', '"lines":9')).toString('base64url')}.${sig}`;
    expect(await cli('licences', 'add', tampered)).toMatchObject({ code: 1, stderr: expect.stringContaining('LICENCE_KEY_SIGNATURE') });
    expect(await cli('licences', 'add', 'XXXX-YYYY-ZZZZ')).toMatchObject({ code: 1, stderr: expect.stringContaining('not a Linekeeper licence key') });
    expect(await cli('licences', 'add')).toMatchObject({ code: 2, stderr: expect.stringContaining('missing the licence KEY') });
  });

  it('removes a key', async () => {
    expect(await cli('licences', 'remove', 'ORDER-7')).toMatchObject({ code: 0 });
    expect((await cli('licences', 'status')).stdout).toContain('Licences: 25 (trial)');
  });
});
