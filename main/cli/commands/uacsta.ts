import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, parseOptions, parsePort, readPemFile, UsageError, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { Logger } from '../../log/logger';
import { guardProcess } from '../../log/process-guard';
import { openConfigStores } from '../../engine/instances';
import { openLicenceService } from '../../engine/licences';
import { DEFAULT_UACSTA_SETTINGS, PhoneListFileError, readPhoneList, UacstaError, UacstaServer, uacstaLogins, writePhoneList, type PhoneVendorName } from '../../servers/uacsta';
import { coded } from '../../../shared/problems';
import { phoneState } from './phone-state';

const VENDORS: PhoneVendorName[] = ['snom', 'yealink', 'auerswald', 'mitel'];

const usage = `linekeeper uacsta [--phone-tcp 5060] [--phone-tls 5061 --cert F --key F] [--client-tcp N] [--client-tls N]
    [--bind ADDR] [--phone-password P] [--client-user U --client-password P] [--auto-activate] [--enable M,M]
    [--disable M,M] [--notify-vendors V,V] [--log-macs M,M] [--data-dir DIR]

Runs the uaCSTA server for SIP phones until stopped (Ctrl-C, SIGTERM). Phones register on the phone port (TCP)
with their MAC address as user name and the one phone password; the server then opens the CSTA dialog to each.
With --client-tcp, CTI clients log in on that port with the client user and password and monitor and control the
phones. With --cert and --key (PEM), phones may also use TLS on --phone-tls and clients on --client-tls.
Passwords given here are kept in the data directory's secret store and used on later runs. New phones are
put into operation only with --auto-activate, or by --enable with their MAC addresses (--disable takes them out);
the phone list is kept in <data-dir>/uacsta/phones.json between runs. Phones of the --notify-vendors (snom,
yealink, auerswald, mitel) get CSTA in out-of-dialog NOTIFY instead of an INVITE dialog. 127.0.0.1 unless --bind names an interface (0.0.0.0 = all).
Logs go to stdout and <data-dir>/logs; --log-macs limits the lines about single phones to those MAC addresses. See docs/uacsta.md.`;

export const uacstaCommand: Command = {
  name: 'uacsta',
  summary: 'run the uaCSTA server: SIP phones register, CTI clients control them',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      'phone-tcp': { type: 'string' },
      'client-tcp': { type: 'string' },
      'phone-tls': { type: 'string' },
      'client-tls': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      bind: { type: 'string' },
      'phone-password': { type: 'string' },
      'client-user': { type: 'string' },
      'client-password': { type: 'string' },
      'auto-activate': { type: 'boolean' },
      'log-macs': { type: 'string' },
      enable: { type: 'string' },
      'notify-vendors': { type: 'string' },
      disable: { type: 'string' },
      'data-dir': { type: 'string' },
    });
    if ((values['client-user'] === undefined) !== (values['client-password'] === undefined)) throw new UsageError('--client-user and --client-password go together');
    if (values['phone-password'] === '') throw new UsageError('--phone-password must not be empty');
    const bind = values.bind ?? '127.0.0.1';
    const phonePort = parsePort(values['phone-tcp'], '--phone-tcp', 5060);
    const clientPort = values['client-tcp'] === undefined ? undefined : parsePort(values['client-tcp'], '--client-tcp', 0);
    const wantsTls = values['phone-tls'] !== undefined || values['client-tls'] !== undefined;
    if (wantsTls !== (values.cert !== undefined && values.key !== undefined) || (values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--phone-tls or --client-tls, --cert and --key go together');
    const pem = wantsTls ? { cert: readPemFile(values.cert!, '--cert'), key: readPemFile(values.key!, '--key') } : undefined;
    const phoneTls = pem && values['phone-tls'] !== undefined ? { port: parsePort(values['phone-tls'], '--phone-tls', 5061), ...pem } : undefined;
    const clientTls = pem && values['client-tls'] !== undefined ? { port: parsePort(values['client-tls'], '--client-tls', 0), ...pem } : undefined;
    if (clientTls && clientPort === undefined) throw new UsageError('--client-tls needs --client-tcp too');
    const logMacs = values['log-macs']?.split(',').map((m) => m.trim()).filter(Boolean);
    for (const m of logMacs ?? []) if (!/^[0-9a-f]{12}$/i.test(m.replace(/[:.-]/g, ''))) throw new UsageError(`--log-macs: "${m}" is not a MAC address (12 hex digits)`);
    const macsOf = (flag: 'enable' | 'disable') => {
      const macs = (values[flag] ?? '').split(',').map((m) => m.trim()).filter(Boolean).map((m) => m.replace(/[:.-]/g, '').toLowerCase());
      for (const m of macs) if (!/^[0-9a-f]{12}$/.test(m)) throw new UsageError(`--${flag}: "${m}" is not a MAC address (12 hex digits)`);
      return macs;
    };
    const notifyVendors = (values['notify-vendors'] ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
    for (const v of notifyVendors) if (!VENDORS.includes(v as PhoneVendorName)) throw new UsageError(`--notify-vendors: "${v}" is not one of ${VENDORS.join(', ')}`);
    const enable = macsOf('enable');
    const disable = macsOf('disable');
    const dataDir = resolveDataDir(values['data-dir']);
    const listPath = join(dataDir, 'uacsta', 'phones.json');
    let known;
    try {
      known = readPhoneList(listPath);
    } catch (e) {
      if (!(e instanceof PhoneListFileError)) throw e;
      io.stderr(`linekeeper uacsta: ${e.message} (${e.code})\n`);
      return EXIT_FAILED;
    }
    for (const m of [...enable, ...disable]) if (!known.some((p) => p.mac === m)) throw new UsageError(`phone ${m} has never registered here, so it cannot be switched on or off yet`);
    for (const p of known) if (enable.includes(p.mac) || disable.includes(p.mac)) p.enabled = enable.includes(p.mac);
    const logins = await uacstaLogins(openConfigStores(dataDir).secrets, {
      phonePassword: values['phone-password'],
      client: values['client-user'] !== undefined ? { user: values['client-user'], password: values['client-password'] ?? '' } : undefined,
    });
    if (logins.phonePassword === undefined) throw new UsageError('no phone password is stored yet: give --phone-password once');
    if (clientPort !== undefined && !logins.client) throw new UsageError('--client-tcp needs a client login: give --client-user and --client-password once');

    const logger = new Logger({ directory: join(dataDir, 'logs'), level: 'info' });
    logger.onEntry((e) => (e.level === 'error' || e.level === 'warn' ? io.stderr : io.stdout)(`${e.time} ${e.level.toUpperCase()} ${e.message}\n`));
    const unguard = guardProcess('linekeeper uacsta', (m) => logger.log('error', 'process', coded('logApp.processError', { detail: m })));
    const stores = openConfigStores(dataDir);
    // the licence pool every driver on this PC shares (its trial, keys and lease ledger in the data directory)
    const licences = openLicenceService(dataDir, stores.docs, stores.instances, stores.secrets, logger.child('licences'));
    const iface = (port: number | undefined, tls: { port: number } | undefined) => (port === undefined ? undefined : { host: bind, tcpPort: port, tlsPort: tls?.port });
    const server = new UacstaServer({
      settings: {
        ...DEFAULT_UACSTA_SETTINGS,
        phones: iface(phonePort, phoneTls)!,
        clients: iface(clientPort, clientTls),
        certificate: pem && { cert: pem.cert.toString(), key: pem.key.toString() },
        phonePassword: logins.phonePassword,
        clientLogins: logins.client ? [logins.client] : [],
        autoActivate: values['auto-activate'] ?? false,
        notifyVendors: notifyVendors as PhoneVendorName[],
        diagnostics: { level: 'info', maxFileBytes: 10 * 1024 * 1024, deleteDaily: false, logMacs: logMacs ?? [] },
      },
      known,
      licences: licences.pool,
      logger: logger.child('uacsta'),
    });
    try {
      await server.start();
    } catch (e) {
      unguard();
      const problem = e instanceof UacstaError ? e.problem : undefined;
      io.stderr(`linekeeper uacsta: ${(e as Error).message}${problem ? ` (${problem.code})` : ''}\n`);
      return EXIT_FAILED;
    }
    const phoneLog = logger.child('uacsta-phones');
    writePhoneList(listPath, server.phones());
    server.on('phone', (p) => {
      try {
        writePhoneList(listPath, server.phones());
      } catch (e) {
        logger.log('error', 'uacsta', coded('logApp.phoneListNotSaved', { file: listPath, detail: (e as Error).message }));
      }
      if (server.phoneLogged(p.mac)) phoneLog.info(phoneState(p));
    });
    const listening = server.status().listening;
    const line = (i: 'phones' | 'clients', t: 'TCP' | 'TLS') => listening.filter((l) => l.interface === i && l.transport === t).map((l) => `${i} (${t}): ${bind}:${l.port}`);
    io.stdout(
      [
        'uaCSTA server for SIP phones',
        ...line('phones', 'TCP'),
        ...line('phones', 'TLS'),
        ...line('clients', 'TCP'),
        ...line('clients', 'TLS'),
        `new phones: ${values['auto-activate'] ? 'put into operation at once' : 'wait to be enabled'}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await io.stopSignal;
    await server.close();
    licences.pool.releaseAll();
    io.stdout('uaCSTA server stopped\n');
    unguard();
    return EXIT_OK;
  },
};
