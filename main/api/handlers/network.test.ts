// "Locate" through the API: the DHCPINFORM goes to a DHCP responder on loopback (the services' `dhcp` option points
// it there), and what was found, or why nothing was, comes back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services';
import { startDhcpResponder } from '../../protocols/dhcp/testing/responder';
import { buildFakeDhcpClient, type FakeDhcpClient } from '../../protocols/dhcp/testing/client-api';
import { createApi } from '../index';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function api(serverPort: number, dhcp: Services['options']['dhcp'] = { target: '127.0.0.1', serverPort, clientPort: 0, timeoutMs: 150, attempts: 2 }) {
  const dir = mkdtempSync(join(tmpdir(), 'lk-network-'));
  const services: Services = createServices({ dataDir: dir, transport: 'websocket', dhcp });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => services.dispose());
  return createApi(services);
}

describe('network.locateTftp', () => {
  it('answers the TFTP server the DHCP server names (option 150 first)', async () => {
    const r = await startDhcpResponder({ tftpServers: ['192.0.2.10'], tftpName: 'cme-branch', serverId: '192.0.2.1' });
    cleanup.push(() => r.close());
    const reply = await api(r.port)('network.locateTftp', { interface: '127.0.0.1' });
    expect(reply).toEqual({ ok: true, result: { interface: '127.0.0.1', server: '192.0.2.1', tftpServers: ['192.0.2.10'], tftpName: 'cme-branch', host: '192.0.2.10' } });
  });

  it('says why nothing was found: no DHCP answer, or an answer without a TFTP server', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((res) => silent.bind(0, '127.0.0.1', () => res()));
    cleanup.push(() => new Promise<void>((res) => silent.close(() => res())));
    const none = await api((silent.address() as AddressInfo).port)('network.locateTftp', { interface: '127.0.0.1' });
    expect(none).toMatchObject({ ok: false, error: { code: 'DHCP_NO_ANSWER', details: { interface: '127.0.0.1', target: '127.0.0.1' } } });

    const r = await startDhcpResponder({ serverId: '192.0.2.1' });
    cleanup.push(() => r.close());
    expect(await api(r.port)('network.locateTftp', { interface: '127.0.0.1' })).toMatchObject({ ok: false, error: { code: 'DHCP_NO_TFTP_SERVER', details: { server: '192.0.2.1' } } });
  });

  it('lists the IPv4 interfaces, loopback included', async () => {
    const reply = (await api(9)('network.interfaces', {})) as { ok: true; result: Array<{ address: string; internal: boolean }> };
    expect(reply.result).toContainEqual(expect.objectContaining({ address: '127.0.0.1', internal: true }));
  });
});

describe("network.locateTftp through Windows' DHCP client (the C# under Mono, a stand-in dhcpcsvc)", () => {
  let fake: FakeDhcpClient;
  beforeAll(() => {
    fake = buildFakeDhcpClient();
  }, 120_000);
  afterAll(() => fake?.close());
  const loopback = Object.entries(networkInterfaces()).find(([, list]) => list?.some((i) => i.address === '127.0.0.1'))![0];
  const viaClient = (env: Record<string, string>) => api(0, { clientApi: fake.runner({ FAKE_DHCP_ADAPTER: loopback, ...env }) });

  it('answers what the DHCP client says: option 150 first, else option 66', async () => {
    const both = await viaClient({ FAKE_DHCP_150: '0a010203', FAKE_DHCP_66: 'cme-branch', FAKE_DHCP_54: '0a010001' })('network.locateTftp', { interface: '127.0.0.1' });
    expect(both).toEqual({ ok: true, result: { interface: '127.0.0.1', server: '10.1.0.1', tftpServers: ['10.1.2.3'], tftpName: 'cme-branch', host: '10.1.2.3' } });
    const name = await viaClient({ FAKE_DHCP_66: 'cme-branch', FAKE_DHCP_54: '0a010001' })('network.locateTftp', { interface: '127.0.0.1' });
    expect(name).toMatchObject({ ok: true, result: { tftpServers: [], host: 'cme-branch' } });
  });

  it('says why nothing was found: no option, a timeout, an API error with its number', async () => {
    expect(await viaClient({ FAKE_DHCP_54: '0a010001' })('network.locateTftp', { interface: '127.0.0.1' })).toMatchObject({ ok: false, error: { code: 'DHCP_NO_TFTP_SERVER', details: { server: '10.1.0.1' } } });
    expect(await viaClient({ FAKE_DHCP_ERROR: '1460' })('network.locateTftp', { interface: '127.0.0.1' })).toMatchObject({ ok: false, error: { code: 'DHCP_NO_ANSWER', details: { interface: '127.0.0.1', error: 1460 } } });
    expect(await viaClient({ FAKE_DHCP_ERROR: '50' })('network.locateTftp', { interface: '127.0.0.1' })).toMatchObject({ ok: false, error: { code: 'DHCP_API_ERROR', details: { interface: '127.0.0.1', adapter: loopback, error: 50 } } });
  });
});
