import { resolve } from 'node:path';
import { ApiFailure } from '../../../shared/api/errors';
import { serviceNames, type ServiceName, type ServiceState } from '../../../shared/api/services';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ServiceControl } from '../../services-control/control';
import { MUX_SERVICE_DOC, MUX_SERVICE_SPEC, readMuxServiceSettings, type StoredMuxServiceSettings } from '../../services-control/settings';
import { checkMuxCertificate, describeStoredCertificate, removeUnusedTlsFiles, writeMuxCertificate, type CheckedCertificate, type StoredTlsFiles } from '../../services-control/tls-files';
import { MUX_PASSWORD_SECRET, MUX_USER_SECRET } from '../../servers/mux/service';
import { UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from '../../servers/uacsta';
import { UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC } from '../../servers/uacsta/service';
import { coded } from '../../../shared/problems';

const ACTION_CODES = { start: 'logApp.serviceStarted', stop: 'logApp.serviceStopped', restart: 'logApp.serviceRestarted' } as const;

type ServicesHandlers = Pick<Handlers, 'services.list' | 'services.start' | 'services.stop' | 'services.setSettings'>;

/**
 * The console's Services page: the installed system services' state from the machine's service manager, start and
 * stop, and the multiplexer's settings and login (saved in this data directory, which the services share when the
 * installer made one; a difference is reported as SERVICE_DATA_DIR_DIFFERS). The uaCSTA service runs with the SIP
 * phone server area's settings: here only whether they are saved.
 */
export function servicesHandlers(s: Services, control: ServiceControl = new ServiceControl()): ServicesHandlers {
  const dataDir = s.options.dataDir;
  /** The stored settings without the file names, with what the console may know of the certificate. */
  const forConsole = <T extends Partial<StoredTlsFiles>>(stored: T) => {
    const { certFile, keyFile, ...settings } = stored;
    const certificate = describeStoredCertificate(dataDir, { certFile, keyFile });
    return certificate ? { ...settings, certificate } : settings;
  };
  const state = async (name: ServiceName): Promise<ServiceState> => {
    const q = await control.query(name);
    const common = { manager: control.manager, state: q.state } as const;
    let out: ServiceState;
    if (name === 'mux') {
      const stored = await readMuxServiceSettings(s.docs);
      out = { name, ...common, hasLogin: await s.secrets.has(MUX_PASSWORD_SECRET), ...(stored && { settings: forConsole(stored) }) };
    } else {
      const configured = (await s.docs.read(UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC)) !== undefined;
      out = { name, ...common, configured, hasLogin: await s.secrets.has(UACSTA_PHONE_PASSWORD_SECRET), hasClientLogin: await s.secrets.has(UACSTA_CLIENT_PASSWORD_SECRET) };
    }
    if (q.problem) out.problem = q.problem;
    if (q.dataDir) {
      out.dataDir = q.dataDir;
      if (resolve(q.dataDir) !== resolve(dataDir)) out.warning = { code: 'SERVICE_DATA_DIR_DIFFERS', params: { console: dataDir, service: q.dataDir } };
    }
    return out;
  };
  const act = async (name: ServiceName, action: keyof typeof ACTION_CODES) => {
    const r = await control.control(name, action);
    if (!r.ok) throw new ApiFailure(r.problem.code, `${action} of the ${name} service failed: ${r.problem.code}`, r.problem.params);
    s.logger.log('info', 'services', coded(ACTION_CODES[action], { service: name }));
    return state(name);
  };

  /**
   * Saves the multiplexer's settings document with its certificate. Checked before anything is written: a refused
   * certificate leaves settings and files as they were.
   */
  async function saveWithCertificate(input: { cert?: string; key?: string; tls: boolean }, settings: Omit<StoredMuxServiceSettings, 'certFile' | 'keyFile'>): Promise<CheckedCertificate | undefined> {
    if (input.cert === undefined && input.key !== undefined) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a private key needs its certificate', {});
    const checked = input.cert !== undefined ? checkMuxCertificate(input.cert, input.key) : undefined;
    const saved = await s.docs.update(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, async (current): Promise<StoredMuxServiceSettings> => {
      // The stored certificate stays only while its file is there (a restored backup does not carry it).
      const kept = current?.certFile && describeStoredCertificate(dataDir, current) ? { certFile: current.certFile, keyFile: current.keyFile } : undefined;
      const files = checked ? await writeMuxCertificate(dataDir, checked) : kept;
      if (input.tls && !files) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a TLS port needs a certificate', {});
      return { ...settings, ...files };
    });
    if (checked && saved.certFile) await removeUnusedTlsFiles(dataDir, { certFile: saved.certFile, keyFile: saved.keyFile });
    return checked;
  }

  return {
    'services.list': async () => Promise.all(serviceNames.map(state)),
    'services.start': ({ name }) => act(name, 'start'),
    'services.stop': ({ name }) => act(name, 'stop'),
    'services.setSettings': async (input) => {
      const { name } = input;
      let login = false;
      const { cert, key, ...settings } = input.settings;
      const checked = await saveWithCertificate({ cert, key, tls: settings.tlsPort !== undefined }, settings);
      if (input.user !== undefined) {
        await s.secrets.set(MUX_USER_SECRET, input.user);
        await s.secrets.set(MUX_PASSWORD_SECRET, input.password ?? '');
        login = true;
      }
      s.logger.log('info', 'services', coded('logApp.serviceSettingsSaved', { service: name, ...(checked ? { certificate: checked.format.toUpperCase() } : {}), ...(login ? { login: 'yes' } : {}) }));
      // A running service reads its settings at start: restart it so they apply now.
      if ((await control.query(name)).state === 'running') return act(name, 'restart');
      return state(name);
    },
  };
}
