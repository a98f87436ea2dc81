import { networkInterfaces } from 'node:os';
import { ApiFailure } from '../../../shared/api/errors';
import { dhcpInform, DhcpError, locateThroughClientApi, powershellRunner } from '../../protocols/dhcp';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { coded } from '../../../shared/problems';

type NetworkHandlers = Pick<Handlers, 'network.interfaces' | 'network.locateTftp'>;

export function networkHandlers(s: Services): NetworkHandlers {
  return {
    'network.interfaces': () =>
      Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ name, address: i.address, internal: i.internal }))),
    'network.locateTftp': async ({ interface: address }) => {
      // Tests point the question at their own responder (`options.dhcp`); the product broadcasts to port 67, except on
      // Windows, where the DHCP client holds port 68 and is asked through its API.
      const { clientApi, ...o } = s.options.dhcp ?? {};
      const runner = clientApi ?? (process.platform === 'win32' && !o.target ? powershellRunner : undefined);
      let answer;
      try {
        answer = runner ? await locateThroughClientApi(address, { runner }) : await dhcpInform({ address, ...o });
      } catch (e) {
        if (e instanceof DhcpError) throw new ApiFailure(e.code, e.message, e.params);
        throw e;
      }
      const host = answer.tftpServers[0] ?? answer.tftpName;
      if (!host) throw new ApiFailure('DHCP_NO_TFTP_SERVER', `the DHCP server ${answer.server} answered but names no TFTP server (neither option 150 nor 66): enter the CME's address`, { server: answer.server });
      s.logger.child('network').info(coded('logApp.tftpLocated', { host, server: answer.server, address, ...(runner ? { via: 'windows' } : {}) }));
      return { interface: address, ...answer, host };
    },
  };
}
