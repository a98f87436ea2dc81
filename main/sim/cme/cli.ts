// `linekeeper sim cme`: the simulator as a command of its own, for support, demos and manual tests.
import { parseOptions, parsePort, parseWholeNumber, UsageError, type Command } from '../../cli/command';
import { runSimUntilStopped, SIM_TLS_FLAGS, simLogger, simTls } from '../sim-command';
import { CME_XML_PATH } from '../../protocols/cme-xml';
import { MAX_PHONES, startCmeSim, type CmeSimOptions, type CmeSipVariant } from './index';

const USAGE = `linekeeper sim cme [--host 127.0.0.1] [--port 8080] [--tls-port N --cert F --key F] [--phones 10]
    [--user cisco --password cisco] [--control-port N]
    [--sip-port N [--authenticate-register] [--csta-mode-basic] [--cti-dialogs either|shared|perLine] [--session-timer S]]

Runs a simulated Cisco CallManager Express serving its XML API (${CME_XML_PATH}, Basic auth) over HTTP
(and HTTPS with a certificate) until stopped (Ctrl-C): up to ${MAX_PHONES} SCCP phones with extensions 2001 …,
the shared number 2900 on two sales desks, two extension mobility users and two SIP phones. With --sip-port it
also takes the session server's REGISTER (register-id ss_ecsta) and CSTA XML dialogs over SIP/TCP: one for all
lines or one per line (--cti-dialogs), ended unless refreshed by re-INVITE within --session-timer seconds, with
the reduced event set of "cti csta mode basic" (--csta-mode-basic). The loopback
control API is printed at start; see docs/cme.md.`;

export const cmeSimCommand: Command = {
  name: 'cme',
  summary: 'run a simulated Cisco CallManager Express (XML API over HTTP/HTTPS)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      ...SIM_TLS_FLAGS,
      phones: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'control-port': { type: 'string' },
      'sip-port': { type: 'string' },
      'authenticate-register': { type: 'boolean' },
      'csta-mode-basic': { type: 'boolean' },
      'cti-dialogs': { type: 'string' },
      'session-timer': { type: 'string' },
    });
    const ctiDialogs = values['cti-dialogs'] ?? 'either';
    if (!['either', 'shared', 'perLine'].includes(ctiDialogs)) throw new UsageError(`--cti-dialogs: "${ctiDialogs}" is not either, shared or perLine`);
    const host = values.host ?? '127.0.0.1';
    for (const flag of ['user', 'password'] as const) {
      const v = values[flag];
      if (v !== undefined && !/^[^\s:]{1,19}$/.test(v)) throw new UsageError(`--${flag}: 1-19 characters without spaces or colons (as IOS takes an xml user)`);
    }
    const options: CmeSimOptions = {
      host,
      port: parsePort(values.port, '--port', 8080),
      tls: simTls(values, 8443),
      controlPort: parsePort(values['control-port'], '--control-port', 0),
      phones: parseWholeNumber(values.phones, 10, 1, MAX_PHONES, (v) => `--phones: "${v}" is not a number from 1 to ${MAX_PHONES}`),
      user: values.user,
      password: values.password,
      sip:
        values['sip-port'] === undefined
          ? undefined
          : {
              port: parsePort(values['sip-port'], '--sip-port', 5060),
              authenticateRegister: Boolean(values['authenticate-register']),
              cstaModeBasic: Boolean(values['csta-mode-basic']),
              variant: { ctiDialogs: ctiDialogs as CmeSipVariant['ctiDialogs'], sessionTimerS: parseWholeNumber(values['session-timer'], 0, 0, 86_400, (v) => `--session-timer: "${v}" is not a number of seconds (0 = none)`) },
            },
      logger: simLogger(io),
    };
    return runSimUntilStopped('linekeeper sim cme', io, () => startCmeSim(options), (sim) => [
      `CME simulator: ${sim.xml.layout.ephones.length} SCCP phones, ${sim.xml.layout.extensions.length} extensions, ${sim.xml.layout.sipPhones.length} SIP phones`,
      `XML API (HTTP): http://${host}:${sim.port}${CME_XML_PATH}`,
      ...(sim.tlsPort !== undefined ? [`XML API (HTTPS): port ${sim.tlsPort}`] : []),
      ...(sim.sip
        ? [
            `SIP (TCP): ${host}:${sim.sip.port}, session server ss_ecsta${values['authenticate-register'] ? ' (authenticate register)' : ''}, CTI dialogs ${sim.sip.variant.ctiDialogs}` +
              `${sim.sip.variant.sessionTimerS ? `, session timer ${sim.sip.variant.sessionTimerS} s` : ''}${values['csta-mode-basic'] ? ', cti csta mode basic' : ''}`,
          ]
        : []),
      `xml user: ${sim.login.user}`,
      `control API: ${sim.controlUrl}`,
    ]);
  },
};
