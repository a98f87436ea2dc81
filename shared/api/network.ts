import { z } from 'zod';
import { method } from './define';

/** An IPv4 interface of the computer Linekeeper runs on. */
export interface NetworkInterface {
  name: string;
  address: string;
  internal: boolean;
}

/** What the DHCP server of a network says about its TFTP server (where IP phones load their configuration). */
export interface TftpLocation {
  /** The interface the question went out on. */
  interface: string;
  /** The DHCP server that answered. */
  server: string;
  /** Option 150: TFTP server addresses. */
  tftpServers: string[];
  /** Option 66: TFTP server name ('' when not given). */
  tftpName: string;
  /** The host to use: the first address of option 150, else the name of option 66. */
  host: string;
}

export const networkMethods = {
  'network.interfaces': method<NetworkInterface[]>()(z.object({}).strict()),
  /**
   * "Locate": asks the network's DHCP server on the interface with this address (DHCPINFORM) for its TFTP server,
   * option 150 and 66 as fallback; on Windows its DHCP client is asked (DhcpRequestParams). DHCP_NO_ANSWER,
   * DHCP_NO_TFTP_SERVER, DHCP_PORT_UNAVAILABLE, DHCP_BAD_INTERFACE, DHCP_API_ERROR, DHCP_API_UNAVAILABLE.
   */
  'network.locateTftp': method<TftpLocation>()(z.object({ interface: z.string().trim().min(1).max(64) }).strict()),
};
