// "Locate" through Windows' DHCP client, run here for real: DhcpClientApi.cs compiled by Mono's mcs as C# 5, its
// P/Invoke marshalled by Mono into a stand-in dhcpcsvc (gcc, fake-dhcpcsvc.c) that keeps Microsoft's contract and
// aborts when it is broken; the Node side reads the program's report as it reads PowerShell's on Windows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhcpError } from './inform';
import { answerFromReport, clientApiSourcePath, locateThroughClientApi, parseReport, powershellRunner, type AdapterReport } from './windows';
import { buildFakeDhcpClient, type FakeDhcpClient } from './testing/client-api';

let fake: FakeDhcpClient;
beforeAll(() => {
  fake = buildFakeDhcpClient();
}, 120_000);
afterAll(() => fake?.close());

/** Mono names adapters as Linux does, so the loopback adapter's "GUID" is its name here. */
const LOOPBACK = Object.entries(networkInterfaces()).find(([, list]) => list?.some((i) => i.address === '127.0.0.1'))![0];
const hex = (...addresses: string[]) => Buffer.from(addresses.flatMap((a) => a.split('.').map(Number))).toString('hex');
let logs = 0;
const logFile = () => join(fake.dir, `calls-${++logs}.log`);
const calls = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

async function failure(p: Promise<unknown>): Promise<DhcpError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DhcpError);
  return e as DhcpError;
}

describe("Windows' DHCP client API (DhcpClientApi.cs under Mono, stand-in dhcpcsvc)", () => {
  it('reads option 150 (addresses), option 66 and the server from one DhcpRequestParams between initialize and cleanup', async () => {
    const log = logFile();
    const runner = fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_150: hex('10.1.2.3', '10.1.2.4'), FAKE_DHCP_66: 'cme.branch.example', FAKE_DHCP_54: hex('10.1.0.1'), FAKE_DHCP_LOG: log });
    expect(await locateThroughClientApi('127.0.0.1', { runner })).toEqual({ server: '10.1.0.1', tftpServers: ['10.1.2.3', '10.1.2.4'], tftpName: 'cme.branch.example' });
    // 8 + 18 + 4 bytes fit the first buffer of 64.
    expect(calls(log)).toEqual(['init -> 0', 'request size=64 -> 0 used=30', 'cleanup']);
  });

  it('gives option 66 alone when the DHCP client has no option 150', async () => {
    const runner = fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_66: '192.168.7.1', FAKE_DHCP_54: hex('192.168.7.254') });
    expect(await locateThroughClientApi('127.0.0.1', { runner })).toEqual({ server: '192.168.7.254', tftpServers: [], tftpName: '192.168.7.1' });
    const none = fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_54: hex('192.168.7.254') });
    expect(await locateThroughClientApi('127.0.0.1', { runner: none })).toEqual({ server: '192.168.7.254', tftpServers: [], tftpName: '' });
  });

  it('asks again with the size ERROR_MORE_DATA names, also when the size needed grows meanwhile', async () => {
    const log = logFile();
    const many = Array.from({ length: 20 }, (_, i) => `10.9.0.${i + 1}`);
    const runner = fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_150: hex(...many), FAKE_DHCP_GROW: '1', FAKE_DHCP_LOG: log });
    expect((await locateThroughClientApi('127.0.0.1', { runner })).tftpServers).toEqual(many);
    expect(calls(log)).toEqual(['init -> 0', 'request size=64 -> 234 needed=80', 'request size=80 -> 234 needed=88', 'request size=88 -> 0 used=88', 'cleanup']);
  });

  it('maps the API\'s errors: a timeout is "no answer", another Win32 error is named with its number, an unknown address is a bad interface', async () => {
    const timeout = await failure(locateThroughClientApi('127.0.0.1', { runner: fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_ERROR: '121' }) }));
    expect(timeout.code).toBe('DHCP_NO_ANSWER');
    expect(timeout.params).toMatchObject({ interface: '127.0.0.1', error: 121 });

    // The stand-in knows another adapter only: ERROR_INVALID_PARAMETER, as for an adapter the DHCP client lacks.
    const unknown = await failure(locateThroughClientApi('127.0.0.1', { runner: fake.runner({ FAKE_DHCP_ADAPTER: '{00000000-0000-0000-0000-000000000000}' }) }));
    expect(unknown.code).toBe('DHCP_API_ERROR');
    expect(unknown.params).toEqual({ interface: '127.0.0.1', adapter: LOOPBACK, error: 87 });
    expect(unknown.message).toMatch(/error 87/);

    const log = logFile();
    const init = await failure(locateThroughClientApi('127.0.0.1', { runner: fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_INIT_ERROR: '5', FAKE_DHCP_LOG: log }) }));
    expect(init.params).toMatchObject({ error: 5 });
    // No cleanup after a failed initialize (the stand-in aborts on one).
    expect(calls(log)).toEqual(['init -> 5']);

    const absent = await failure(locateThroughClientApi('198.51.100.77', { runner: fake.runner({ FAKE_DHCP_ADAPTER: LOOPBACK }) }));
    expect(absent.code).toBe('DHCP_BAD_INTERFACE');
    expect((await failure(locateThroughClientApi('127.0.0.1; rm', { runner: fake.runner({}) }))).code).toBe('DHCP_BAD_INTERFACE');
  });

  it('without an address it reports every adapter that is up, loopback left out, each with its own result', () => {
    const run = spawnSync('mono', [fake.exe], { encoding: 'utf8', cwd: fake.dir, env: { ...process.env, FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_66: 'cme' } });
    expect(run.status, run.stderr).toBe(0);
    const reports = parseReport(run.stdout);
    const external = new Set(Object.entries(networkInterfaces()).filter(([, l]) => l?.some((i) => i.family === 'IPv4' && !i.internal)).map(([n]) => n));
    for (const r of reports) {
      expect(external.has(r.name), r.name).toBe(true);
      expect(r.error).toBe(87);
    }
    expect(reports.some((r) => r.addresses.includes('127.0.0.1'))).toBe(false);
  });

  it('the adapter name crosses as UTF-16 (CharSet.Unicode): without it the DHCP client would not know the adapter', async () => {
    const source = readFileSync(clientApiSourcePath(), 'utf8');
    const changed = source.replace('[DllImport("dhcpcsvc.dll", CharSet = CharSet.Unicode)]\n        static extern uint DhcpRequestParams', '[DllImport("dhcpcsvc.dll")]\n        static extern uint DhcpRequestParams');
    expect(changed).not.toBe(source);
    const built = fake.compile(changed, 'Ansi');
    expect(built.error).toBeUndefined();
    const run = spawnSync('mono', [built.exe!, '127.0.0.1'], { encoding: 'utf8', cwd: fake.dir, env: { ...process.env, FAKE_DHCP_ADAPTER: LOOPBACK, FAKE_DHCP_66: 'cme' } });
    expect(parseReport(run.stdout)[0]).toMatchObject({ error: 87, tftpName: '' });
  });

  it('is C# 5, the language of the compiler PowerShell 5.1 uses: a C# 6 construct does not compile', () => {
    const source = readFileSync(clientApiSourcePath(), 'utf8');
    expect(fake.compile(source.replace('"." + list[i + 1]', '$"."+ list[i + 1]'), 'Newer').error).toMatch(/CS1644|feature .* cannot be used/i);
  });
});

describe('reading the report', () => {
  const report = (o: Partial<AdapterReport>): AdapterReport => ({ adapter: '{A}', name: 'Ethernet', addresses: ['10.0.0.5'], dhcp: true, dhcpServers: ['10.0.0.1'], error: 0, message: '', server: '', tftpServers: [], tftpName: '', ...o });

  it('takes the adapter with the address, the lease\'s DHCP server when option 54 is missing, and only a printable name', () => {
    const both = [report({ adapter: '{B}', name: 'WLAN', addresses: ['192.168.1.9'], tftpServers: ['192.168.1.1'] }), report({ tftpName: 'bad name' })];
    expect(answerFromReport('192.168.1.9', both, 0)).toEqual({ server: '10.0.0.1', tftpServers: ['192.168.1.1'], tftpName: '' });
    expect(answerFromReport('10.0.0.5', both, 0).tftpName).toBe('');
    expect(answerFromReport('10.0.0.5', [report({ tftpName: 'cme\u0001' })], 0).tftpName).toBe('');
    expect(answerFromReport('10.0.0.5', [report({ tftpName: 'cme\u0000' })], 0).tftpName).toBe('cme');
    expect(answerFromReport('10.0.0.5', [report({ tftpName: 'cme' })], 0).tftpName).toBe('cme');
  });

  it('a fixed-address adapter the API refuses says so in the message, with the error number in the params', () => {
    expect(() => answerFromReport('10.0.0.5', [report({ dhcp: false, error: 50, message: 'The request is not supported.' })], 0)).toThrow(/fixed address\): error 50, The request is not supported\./);
  });

  it('output that is no report, a program that fails or does not start, and a program that hangs are coded failures', async () => {
    expect(() => parseReport('{"adapter":"x"}')).toThrow(/not an adapter report/);
    expect(() => parseReport('Add-Type : error CS0103')).toThrow(/not JSON/);
    const sh = (script: string) => () => ({ file: 'sh', args: ['-c', script] });
    const garbage = await failure(locateThroughClientApi('127.0.0.1', { runner: sh('echo hello') }));
    expect(garbage).toMatchObject({ code: 'DHCP_API_UNAVAILABLE', params: { interface: '127.0.0.1', program: 'sh', cause: 'output' } });
    const exit = await failure(locateThroughClientApi('127.0.0.1', { runner: sh('echo "Add-Type : cannot compile" >&2; echo "   at line 1" >&2; exit 1') }));
    expect(exit.params).toMatchObject({ cause: 'exit:1' });
    expect(exit.message).toMatch(/ended with 1: Add-Type : cannot compile$/);
    const missing = await failure(locateThroughClientApi('127.0.0.1', { runner: () => ({ file: 'lk-no-such-program', args: [] }) }));
    expect(missing.params).toMatchObject({ program: 'lk-no-such-program', cause: 'ENOENT' });
    const hangs = await failure(locateThroughClientApi('127.0.0.1', { runner: sh('sleep 10'), timeoutMs: 200 }));
    expect(hangs).toMatchObject({ code: 'DHCP_NO_ANSWER', params: { interface: '127.0.0.1' } });
  });

  it('PowerShell gets the shipped C# on stdin and a script that compiles it with Add-Type and reports the one address', () => {
    const c = powershellRunner('10.0.0.5');
    expect(c.file).toBe('powershell.exe');
    expect(c.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = Buffer.from(c.args[5], 'base64').toString('utf16le');
    expect(script).toBe("$ErrorActionPreference = 'Stop'; Add-Type -TypeDefinition ([Console]::In.ReadToEnd()); [Console]::Out.Write([Linekeeper.DhcpClientApi]::Report('10.0.0.5'))");
    expect(c.input).toBe(readFileSync(clientApiSourcePath(), 'utf8'));
    expect(c.input).toMatch(/namespace Linekeeper[\s\S]*public static class DhcpClientApi[\s\S]*public static string Report\(string address\)/);
    // Only an IPv4 address gets into the script.
    expect(() => powershellRunner("10.0.0.5'); Remove-Item C:\\ #")).toThrow(DhcpError);
  });
});
