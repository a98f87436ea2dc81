// Provisioning through a phone's own web interface (manual §3.5.1), per vendor: read what the phone is, write the
// uaCSTA account into it (server, port, transport, MAC as user name, phone password, CSTA control on), delete it
// again, restart. snom takes settings as dummy.htm?settings=save&…, Yealink as account.N.* keys posted to its
// servlet; both use HTTP Basic with the web login. Auerswald and Mitel need the manual's steps (the guides).
import { coded, type Coded } from '../../../../shared/problems';

export type WebVendor = 'snom' | 'yealink';

export interface PhoneIdentity {
  vendor: WebVendor;
  model: string;
  mac: string;
  firmware: string;
}

export interface ServerAccount {
  host: string;
  port: number;
  transport: 'tcp' | 'tls';
  password: string;
}

export interface WebTarget {
  /** host:port of the web interface. */
  address: string;
  user: string;
  password: string;
  timeoutMs?: number;
}

/** A provisioning step that failed, with its coded reason. */
export class ProvisioningError extends Error {
  constructor(readonly problem: Coded) {
    super(problem.message);
  }
}

/** The snom identity and Yealink account the server's account is written to (unused on phones out of the box). */
const SNOM_IDENTITY = 12;
const YEALINK_ACCOUNT = 16;

async function request(t: WebTarget, path: string, form?: URLSearchParams): Promise<{ status: number; text: string }> {
  const url = `http://${t.address}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { Authorization: `Basic ${Buffer.from(`${t.user}:${t.password}`).toString('base64')}`, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form?.toString(),
      signal: AbortSignal.timeout(t.timeoutMs ?? 5000),
      redirect: 'manual',
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new ProvisioningError(coded('uacstaProvisioning.unreachable', { address: t.address, cause }));
  }
  const text = (await res.text()).slice(0, 65_536);
  if (res.status === 401 || res.status === 403) throw new ProvisioningError(coded('uacstaProvisioning.loginRefused', { address: t.address }));
  return { status: res.status, text };
}

/** What answers at the address: snom's info page, else Yealink's status servlet; neither is `notAPhone`. */
export async function identify(t: WebTarget): Promise<PhoneIdentity> {
  const snom = await request(t, '/info.htm');
  if (snom.status === 200) {
    const cell = (label: string) => new RegExp(`${label}:\\s*</td>\\s*<td>([^<]+)</td>`, 'i').exec(snom.text)?.[1].trim();
    const mac = cell('MAC-Address')?.replace(/[:.-]/g, '').toLowerCase();
    const fw = cell('Firmware-Version');
    if (mac && /^[0-9a-f]{12}$/.test(mac)) return { vendor: 'snom', model: cell('Phone-Model') ?? 'snom', mac, firmware: fw?.split(/\s+/).pop() ?? '' };
  }
  const yealink = await request(t, '/servlet?p=status&q=load');
  if (yealink.status === 200) {
    try {
      const j = JSON.parse(yealink.text) as { Model?: string; FirmwareVersion?: string; MAC?: string };
      const mac = j.MAC?.replace(/[:.-]/g, '').toLowerCase();
      if (mac && /^[0-9a-f]{12}$/.test(mac)) return { vendor: 'yealink', model: j.Model ?? 'Yealink', mac, firmware: j.FirmwareVersion ?? '' };
    } catch {
      // not JSON: not a Yealink status page
    }
  }
  throw new ProvisioningError(coded('uacstaProvisioning.notAPhone', { address: t.address }));
}

function accepted(t: WebTarget, r: { status: number; text: string }, vendor: WebVendor): void {
  const failed = r.status !== 200 || (vendor === 'snom' ? !/saved/.test(r.text) : !/"ret"\s*:\s*"ok"/.test(r.text));
  if (failed) throw new ProvisioningError(coded('uacstaProvisioning.refused', { address: t.address, detail: `HTTP ${r.status}: ${r.text.replace(/<[^>]+>/g, ' ').trim().slice(0, 120)}` }));
}

/** Writes the server's account into the phone (its MAC as user name) with CSTA control switched on. */
export async function provide(t: WebTarget, phone: PhoneIdentity, a: ServerAccount): Promise<void> {
  if (phone.vendor === 'snom') {
    const n = SNOM_IDENTITY;
    const q = new URLSearchParams({
      settings: 'save',
      [`user_active${n}`]: 'on',
      [`user_realname${n}`]: 'uaCSTA',
      [`user_name${n}`]: phone.mac,
      [`user_pass${n}`]: a.password,
      [`user_host${n}`]: a.host,
      [`user_outbound${n}`]: `${a.host}:${a.port};transport=${a.transport}`,
      [`user_expiry${n}`]: '300',
      [`user_hidden${n}`]: 'on',
      allow_csta: 'on',
      csta_legacy_control: '4',
    });
    return accepted(t, await request(t, `/dummy.htm?${q}`), 'snom');
  }
  const n = YEALINK_ACCOUNT;
  const form = new URLSearchParams({
    [`account.${n}.enable`]: '1',
    [`account.${n}.label`]: 'uaCSTA',
    [`account.${n}.display_name`]: 'uaCSTA',
    [`account.${n}.auth_name`]: phone.mac,
    [`account.${n}.user_name`]: phone.mac,
    [`account.${n}.password`]: a.password,
    [`account.${n}.sip_server.1.address`]: a.host,
    [`account.${n}.sip_server.1.port`]: String(a.port),
    [`account.${n}.sip_server.1.transport_type`]: a.transport === 'tls' ? '2' : '1',
    [`account.${n}.sip_server.1.expires`]: '300',
    'features.csta_control.enable': '1',
  });
  return accepted(t, await request(t, '/servlet?p=account-register&q=write', form), 'yealink');
}

/** Deletes the server's account from the phone again. */
export async function unprovide(t: WebTarget, phone: PhoneIdentity): Promise<void> {
  if (phone.vendor === 'snom') {
    const n = SNOM_IDENTITY;
    const q = new URLSearchParams({ settings: 'save', [`user_active${n}`]: 'off', [`user_name${n}`]: '', [`user_pass${n}`]: '', [`user_host${n}`]: '', [`user_outbound${n}`]: '' });
    return accepted(t, await request(t, `/dummy.htm?${q}`), 'snom');
  }
  const n = YEALINK_ACCOUNT;
  const form = new URLSearchParams({ [`account.${n}.enable`]: '0', [`account.${n}.user_name`]: '', [`account.${n}.password`]: '', [`account.${n}.sip_server.1.address`]: '' });
  return accepted(t, await request(t, '/servlet?p=account-register&q=write', form), 'yealink');
}

export async function restart(t: WebTarget, phone: PhoneIdentity): Promise<void> {
  const r = phone.vendor === 'snom' ? await request(t, '/confirm.html?REBOOT=yes') : await request(t, '/servlet?p=settings-upgrade&q=reboot', new URLSearchParams({ reboot: '1' }));
  if (r.status !== 200) throw new ProvisioningError(coded('uacstaProvisioning.refused', { address: t.address, detail: `restart: HTTP ${r.status}` }));
}

/** Mitel phones take the server from startup.cfg (manual §3.5.1.2). */
export function mitelStartupCfg(a: ServerAccount): string {
  return [`csta: 1`, `csta proxy: ${a.host}`, `csta port: ${a.port}`, `csta password: ${a.password}`, ''].join('\n');
}
