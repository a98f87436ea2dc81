import { resolve } from 'node:path';
import { ApiFailure } from '../../../shared/api/errors';
import { serviceNames, type ServiceName, type ServiceState } from '../../../shared/api/services';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ServiceControl } from '../../services-control/control';
import { MUX_SERVICE_DOC, MUX_SERVICE_SPEC, readMuxServiceSettings, readUacstaServiceSettings, UACSTA_SERVICE_DOC, UACSTA_SERVICE_SPEC } from '../../services-control/settings';
import { checkMuxCertificate, describeStoredCertificate, removeUnusedTlsFiles, UACSTA_TLS_FILES, writeMuxCertificate, type CheckedCertificate, type StoredTlsFiles, type TlsFileNames } from '../../services-control/tls-files';
import type { DocumentSpec } from '../../store';
import { MUX_PASSWORD_SECRET, MUX_USER_SECRET } from '../../servers/mux/service';
import { hostname } from 'node:os';
import { checkCertificate, UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_CLIENT_USER_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from '../../servers/uacsta';

type ServicesHandlers = Pick<Handlers, 'services.list' | 'services.start' | 'services.stop' | 'services.setSettings'>;

/**
 * The console's Services page: the installed system services' state from the machine's service manager, start and
 * stop, and the settings and passwords they start with (saved in this data directory, which the services share
 * when the installer made one; a difference is reported as SERVICE_DATA_DIR_DIFFERS).
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
      const stored = await readUacstaServiceSettings(s.docs);
      out = { name, ...common, hasLogin: await s.secrets.has(UACSTA_PHONE_PASSWORD_SECRET), hasClientLogin: await s.secrets.has(UACSTA_CLIENT_PASSWORD_SECRET), ...(stored && { settings: forConsole(stored) }) };
    }
    if (q.problem) out.problem = q.problem;
    if (q.dataDir) {
      out.dataDir = q.dataDir;
      if (resolve(q.dataDir) !== resolve(dataDir)) out.warning = { code: 'SERVICE_DATA_DIR_DIFFERS', params: { console: dataDir, service: q.dataDir } };
    }
    return out;
  };
  const act = async (name: ServiceName, action: 'start' | 'stop' | 'restart') => {
    const r = await control.control(name, action);
    if (!r.ok) throw new ApiFailure(r.problem.code, `${action} of the ${name} service failed: ${r.problem.code}`, r.problem.params);
    s.logger.log('info', 'services', `${name} service: ${action}`);
    return state(name);
  };

  /**
   * Saves one service's settings document with its certificate. Checked before anything is written: a refused
   * certificate leaves settings and files as they were.
   */
  async function saveWithCertificate<T extends Partial<StoredTlsFiles>>(
    doc: string,
    spec: DocumentSpec<T>,
    names: TlsFileNames | undefined,
    input: { cert?: string; key?: string; tls: boolean; computerName?: string },
    settings: Omit<T, 'certFile' | 'keyFile'>,
  ): Promise<CheckedCertificate | undefined> {
    if (input.cert === undefined && input.key !== undefined) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a private key needs its certificate', {});
    const checked = input.cert !== undefined ? checkMuxCertificate(input.cert, input.key) : undefined;
    if (checked?.format === 'pfx' && names && !names.pfx) throw new ApiFailure('SERVICE_TLS_PFX_NOT_SUPPORTED', 'this server takes a PEM certificate with its PEM private key, not a PFX file', {});
    if (checked && input.computerName !== undefined) {
      // The uaCSTA server refuses at start a certificate not issued to the computer name: say so before saving.
      const bad = checkCertificate({ cert: checked.cert, key: checked.key! }, input.computerName, new Date());
      if (bad?.code === 'uacsta.certificateWrongName') throw new ApiFailure('SERVICE_TLS_CERT_WRONG_NAME', `the certificate is not issued to this computer's name ${input.computerName}`, bad.params as Record<string, string>);
    }
    const saved = await s.docs.update(doc, spec, async (current): Promise<T> => {
      // The stored certificate stays only while its file is there (a restored backup does not carry it).
      const kept = current?.certFile && describeStoredCertificate(dataDir, current) ? { certFile: current.certFile, keyFile: current.keyFile } : undefined;
      const files = checked ? await writeMuxCertificate(dataDir, checked, names) : kept;
      if (input.tls && !files) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a TLS port needs a certificate', {});
      return { ...settings, ...files } as T;
    });
    if (checked && saved.certFile) await removeUnusedTlsFiles(dataDir, { certFile: saved.certFile, keyFile: saved.keyFile }, names);
    return checked;
  }

  return {
    'services.list': async () => Promise.all(serviceNames.map(state)),
    'services.start': ({ name }) => act(name, 'start'),
    'services.stop': ({ name }) => act(name, 'stop'),
    'services.setSettings': async (input) => {
      const { name } = input;
      let checked: CheckedCertificate | undefined;
      let login = false;
      if (input.name === 'mux') {
        const { cert, key, ...settings } = input.settings;
        checked = await saveWithCertificate(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, undefined, { cert, key, tls: settings.tlsPort !== undefined }, settings);
        if (input.user !== undefined) {
          await s.secrets.set(MUX_USER_SECRET, input.user);
          await s.secrets.set(MUX_PASSWORD_SECRET, input.password ?? '');
          login = true;
        }
      } else {
        const { cert, key, ...settings } = input.settings;
        checked = await saveWithCertificate(UACSTA_SERVICE_DOC, UACSTA_SERVICE_SPEC, UACSTA_TLS_FILES, { cert, key, tls: settings.phoneTlsPort !== undefined || settings.clientTlsPort !== undefined, computerName: hostname() }, settings);
        // The same secret-store entries `linekeeper uacsta` reads and writes.
        if (input.phonePassword !== undefined) {
          await s.secrets.set(UACSTA_PHONE_PASSWORD_SECRET, input.phonePassword);
          login = true;
        }
        if (input.clientUser !== undefined) {
          await s.secrets.set(UACSTA_CLIENT_USER_SECRET, input.clientUser);
          await s.secrets.set(UACSTA_CLIENT_PASSWORD_SECRET, input.clientPassword ?? '');
          login = true;
        }
      }
      s.logger.log('info', 'services', `${name} service: settings saved${checked ? ` with a new ${checked.format.toUpperCase()} certificate` : ''}${login ? ' with a new login' : ''}`);
      // A running service reads its settings at start: restart it so they apply now.
      if ((await control.query(name)).state === 'running') return act(name, 'restart');
      return state(name);
    },
  };
}
