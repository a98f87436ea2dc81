// `linekeeper sim sip-phones`: a fleet of simulated uaCSTA phones registering at a uaCSTA server.
import { parseOptions, parsePort, parseWholeNumber, readPemFile, UsageError, type Command } from '../../cli/command';
import { runSimUntilStopped, simLogger } from '../sim-command';
import { startFleetControl } from './control-api';
import { MAX_FLEET, startFleet } from './fleet';
import { PHONE_VENDORS, type PhoneVendor } from './phone';

const USAGE = `linekeeper sim sip-phones --server HOST:PORT --password P [--tls [--ca F]] [--count 1] [--vendor snom|yealink|auerswald|mitel]
    [--first-number 201] [--control-port N]

Runs simulated uaCSTA SIP phones until stopped (Ctrl-C): each registers over TCP at the server with its MAC
address (the vendor's OUI, counting up from 000001) and the phone password, refreshes its registration, accepts
the server's CSTA dialog and answers CSTA XML in it. With --tls they use TLS (trusting the CA certificate in F).
Extensions count up from --first-number; the phones call each other by them. The loopback HTTP control API
(phones, calls from outside, answer, hang up, faults) is printed at start, on --control-port if given. See
docs/uacsta.md.`;


export const sipPhoneSimCommand: Command = {
  name: 'sip-phones',
  summary: 'run simulated uaCSTA SIP phones (snom, Yealink, Auerswald, Mitel) against a uaCSTA server',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      server: { type: 'string' },
      password: { type: 'string' },
      tls: { type: 'boolean' },
      ca: { type: 'string' },
      count: { type: 'string' },
      vendor: { type: 'string' },
      'first-number': { type: 'string' },
      'control-port': { type: 'string' },
    });
    const m = /^([^:\s]+):(\d{1,5})$/.exec(values.server ?? '');
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UsageError(`--server must be HOST:PORT, got "${values.server ?? ''}"`);
    if (values.password === undefined) throw new UsageError('missing required option --password (the server\'s phone password)');
    const vendor = (values.vendor ?? 'snom') as PhoneVendor;
    if (!PHONE_VENDORS.includes(vendor)) throw new UsageError(`--vendor must be one of ${PHONE_VENDORS.join(', ')}, got "${values.vendor}"`);
    const count = parseWholeNumber(values.count, 1, 1, MAX_FLEET, (v) => `--count: "${v}" is not a number from 1 to ${MAX_FLEET}`);
    const firstNumber = parseWholeNumber(values['first-number'], 201, 0, 999_999_999, (v) => `--first-number: "${v}" is not an extension number`);
    const controlPort = parsePort(values['control-port'], '--control-port', 0);
    if (values.ca !== undefined && !values.tls) throw new UsageError('--ca goes with --tls');
    const tls = values.tls ? { ca: values.ca === undefined ? undefined : readPemFile(values.ca, '--ca') } : undefined;
    const log = simLogger(io);
    const start = async () => {
      const fleet = await startFleet({ server: { host: m[1], port: Number(m[2]) }, password: values.password!, tls, count, vendor, firstNumber, logger: { ...log, debug: () => undefined } });
      try {
        const control = await startFleetControl(fleet.exchange, '127.0.0.1', controlPort, log);
        return { fleet, control, close: () => Promise.all([control.close(), fleet.close()]).then(() => undefined) };
      } catch (e) {
        await fleet.close();
        throw e;
      }
    };
    return runSimUntilStopped('linekeeper sim sip-phones', io, start, ({ fleet, control }) => [
      `${fleet.phones.length} simulated ${vendor} phone(s) for the uaCSTA server at ${m[1]}:${m[2]}`,
      ...fleet.phones.map((p) => `  ${p.mac}  ${p.identities.join(', ')}  ${p.userAgent}`),
      `control API: ${control.url}`,
    ]);
  },
};
