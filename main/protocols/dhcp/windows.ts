// "Locate" on Windows: the system's DHCP client holds UDP 68, so a DHCPINFORM of our own cannot receive its answer
// there. The DHCP client is asked instead (DhcpRequestParams in dhcpcsvc.dll): DhcpClientApi.cs, compiled by
// PowerShell's Add-Type (C# 5, the .NET Framework's compiler; nothing to install), answers from the lease or sends the
// DHCPINFORM itself, and prints one JSON line per adapter, which is read here into the DHCPINFORM path's answer.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DhcpError, ipBytes, tftpNameOf, type DhcpAnswer } from './inform';

/** The C# file, shipped beside this module: in the source tree, and (scripts/build.mjs) in out/main and out/cli. */
export const CLIENT_API_SOURCE = 'DhcpClientApi.cs';

export function clientApiSourcePath(): string {
  return fileURLToPath(new URL(`./${CLIENT_API_SOURCE}`, import.meta.url));
}

/** A program that prints DhcpClientApi.cs's report for one address; `input` goes to its stdin. */
export interface ClientApiCommand {
  file: string;
  args: string[];
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}
export type ClientApiRunner = (address: string) => ClientApiCommand;

/** PowerShell 5.1 compiles the C# source it reads on stdin (read here, so a file inside app.asar works too). */
export const powershellRunner: ClientApiRunner = (address) => {
  const script = [
    "$ErrorActionPreference = 'Stop'",
    'Add-Type -TypeDefinition ([Console]::In.ReadToEnd())',
    `[Console]::Out.Write([Linekeeper.DhcpClientApi]::Report('${ipBytes(address).join('.')}'))`,
  ].join('; ');
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
    input: readFileSync(clientApiSourcePath(), 'utf8'),
  };
};

/** One adapter as DhcpClientApi.cs reports it. */
export interface AdapterReport {
  adapter: string;
  name: string;
  addresses: string[];
  dhcp: boolean;
  dhcpServers: string[];
  /** Win32 error of DhcpCApiInitialize or DhcpRequestParams; 0 when the DHCP client answered. */
  error: number;
  message: string;
  server: string;
  tftpServers: string[];
  tftpName: string;
}

const ERROR_SEM_TIMEOUT = 121;
const ERROR_TIMEOUT = 1460;
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The report's lines; a line that is not an adapter report throws (the helper is ours: that is a defect). */
export function parseReport(stdout: string): AdapterReport[] {
  return stdout
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((line) => {
      let r: Partial<AdapterReport>;
      try {
        r = JSON.parse(line) as Partial<AdapterReport>;
      } catch {
        throw new Error(`not JSON: ${line.slice(0, 120)}`);
      }
      const ok = typeof r.adapter === 'string' && typeof r.name === 'string' && strings(r.addresses) && typeof r.dhcp === 'boolean' && strings(r.dhcpServers) && Number.isInteger(r.error) && typeof r.message === 'string' && typeof r.server === 'string' && strings(r.tftpServers) && typeof r.tftpName === 'string';
      if (!ok) throw new Error(`not an adapter report: ${line.slice(0, 120)}`);
      return r as AdapterReport;
    });
}

/** The answer for `address` in a report, or the coded reason there is none. */
export function answerFromReport(address: string, reports: AdapterReport[], seconds: number): DhcpAnswer {
  const r = reports.find((a) => a.addresses.includes(address));
  if (!r) throw new DhcpError('DHCP_BAD_INTERFACE', `Windows knows no network adapter with the address ${address}`, { interface: address });
  if (r.error === ERROR_SEM_TIMEOUT || r.error === ERROR_TIMEOUT) {
    throw new DhcpError('DHCP_NO_ANSWER', `no DHCP server answered Windows' DHCP client on ${address} (adapter ${r.name}, error ${r.error}): is there a DHCP server in this network, and does it answer DHCPINFORM?`, { interface: address, seconds, error: r.error });
  }
  if (r.error !== 0) {
    throw new DhcpError('DHCP_API_ERROR', `Windows' DHCP client could not ask for the TFTP server on ${address} (adapter ${r.name}${r.dhcp ? '' : ', fixed address'}): error ${r.error}${r.message ? `, ${r.message}` : ''}`, { interface: address, adapter: r.name, error: r.error });
  }
  return { server: r.server || r.dhcpServers[0] || '', tftpServers: r.tftpServers.filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a)), tftpName: tftpNameOf(r.tftpName) };
}

export interface ClientApiOptions {
  /** What runs the C# (default: PowerShell); tests substitute Mono with the compiled file. */
  runner?: ClientApiRunner;
  /** The DHCP client retries a silent server for a while; after this the question is given up (default 60 s). */
  timeoutMs?: number;
}

/** Asks Windows' DHCP client for the TFTP server options of the adapter with this IPv4 address; throws DhcpError. */
export async function locateThroughClientApi(address: string, o: ClientApiOptions = {}): Promise<DhcpAnswer> {
  ipBytes(address);
  const timeoutMs = o.timeoutMs ?? 60_000;
  const started = Date.now();
  let command: ClientApiCommand;
  try {
    command = (o.runner ?? powershellRunner)(address);
  } catch (e) {
    if (e instanceof DhcpError) throw e;
    throw new DhcpError('DHCP_API_UNAVAILABLE', `Windows' DHCP client could not be asked for the TFTP server on ${address}: ${(e as Error).message}`, { interface: address, program: 'DhcpClientApi.cs', cause: (e as NodeJS.ErrnoException).code ?? 'missing' });
  }
  // `cause` is a token the console shows as is (an errno code, exit:N, output); the message says more, for the log.
  const unavailable = (cause: string, detail: string) => new DhcpError('DHCP_API_UNAVAILABLE', `Windows' DHCP client could not be asked for the TFTP server on ${address}: ${command.file} ${detail}`, { interface: address, program: command.file, cause });
  const run = await new Promise<{ stdout: string; stderr: string; code: number | null; error?: Error; timedOut: boolean }>((resolve) => {
    const child = spawn(command.file, command.args, { windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'], env: command.env ?? process.env, cwd: command.cwd });
    let stdout = '';
    let stderr = '';
    let failed: Error | undefined;
    // Given up at once: a grandchild may hold the pipes open after the kill.
    const timer = setTimeout(() => {
      child.kill();
      resolve({ stdout, stderr, code: null, timedOut: true });
    }, timeoutMs);
    // A report is a few hundred bytes per adapter; the error's first lines say what went wrong.
    child.stdout.setEncoding('utf8').on('data', (d: string) => stdout.length < 1 << 20 && (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.length < 4000 && (stderr += d));
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.input ?? '');
    child.on('error', (e) => (failed = e));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, error: failed, timedOut: false });
    });
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (run.timedOut) throw new DhcpError('DHCP_NO_ANSWER', `Windows' DHCP client gave no answer on ${address} within ${seconds} s`, { interface: address, seconds });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code ?? 'error';
    throw unavailable(code, `did not start (${code}: ${run.error.message})`);
  }
  if (run.code !== 0) throw unavailable(`exit:${run.code}`, `ended with ${run.code}: ${firstLine(run.stderr) || 'no message'}`);
  let reports: AdapterReport[];
  try {
    reports = parseReport(run.stdout);
  } catch (e) {
    throw unavailable('output', `gave no adapter report (${(e as Error).message})`);
  }
  return answerFromReport(address, reports, seconds);
}

/** PowerShell puts the error itself first, then where it happened. */
const firstLine = (text: string) => text.split(/\r?\n/).find((l) => l.trim())?.trim().slice(0, 300) ?? '';
