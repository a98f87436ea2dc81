// The CME specs' worker fixture: a simulated CME, a DHCP responder on loopback naming it as the TFTP server (for
// Locate), and a console server sending its DHCPINFORM there.
import { test as base } from '@playwright/test';
import { startCmeSim, type CmeSim, type CmeSimOptions } from '../main/sim/cme';
import { startDhcpResponder, type Responder } from '../main/protocols/dhcp/testing/responder';
import { ConsolePage } from './fixtures';
import { startServe, type ServeProcess } from './server';

export function cmeTest(simOptions: CmeSimOptions) {
  return base.extend<{ lk: ConsolePage }, { cme: { sim: CmeSim; dhcp: Responder; server: ServeProcess } }>({
    cme: [
      async ({}, use) => {
        const sim = await startCmeSim(simOptions);
        const dhcp = await startDhcpResponder({ tftpServers: ['127.0.0.1'], serverId: '127.0.0.1' });
        const server = await startServe([], { LINEKEEPER_DHCP_SERVER: `127.0.0.1:${dhcp.port}`, LINEKEEPER_DHCP_CLIENT_PORT: '0' });
        await use({ sim, dhcp, server });
        await server.stop();
        await dhcp.close();
        await sim.close();
      },
      { scope: 'worker' },
    ],
    lk: async ({ page, cme }, use) => {
      const lk = new ConsolePage(page, cme.server);
      await lk.open();
      await use(lk);
    },
  });
}
