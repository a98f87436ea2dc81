export { answerOf, decodeReply, dhcpInform, DhcpError, encodeInform, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, type DhcpAnswer, type DhcpErrorCode, type InformOptions } from './inform';
