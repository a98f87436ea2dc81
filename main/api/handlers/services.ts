import { resolve } from 'node:path';
import { ApiFailure } from '../../../shared/api/errors';
import type { ServiceName, ServiceState } from '../../../shared/api/services';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ServiceControl } from '../../services-control/control';
import { MUX_SERVICE_DOC, MUX_SERVICE_SPEC, readMuxServiceSettings, type StoredMuxServiceSettings } from '../../services-control/settings';
import { checkMuxCertificate, describeStoredCertificate, removeUnusedTlsFiles, writeMuxCertificate } from '../../services-control/tls-files';
import { MUX_PASSWORD_SECRET, MUX_USER_SECRET } from '../../servers/mux/service';

type ServicesHandlers = Pick<Handlers, 'services.list' | 'services.start' | 'services.stop' | 'services.setSettings'>;

/**
 * The console's Services page: the installed system services' state from the machine's service manager, start and
 * stop, and the settings and login they start with (saved in this data directory, which the services share when
 * the installer made one; a difference is reported as SERVICE_DATA_DIR_DIFFERS).
 */
export function servicesHandlers(s: Services, control: ServiceControl = new ServiceControl()): ServicesHandlers {
  const state = async (name: ServiceName): Promise<ServiceState> => {
    const q = await control.query(name);
    const out: ServiceState = { name, manager: control.manager, state: q.state, hasLogin: await s.secrets.has(MUX_PASSWORD_SECRET) };
    if (q.problem) out.problem = q.problem;
    if (q.dataDir) {
      out.dataDir = q.dataDir;
      if (resolve(q.dataDir) !== resolve(s.options.dataDir)) out.warning = { code: 'SERVICE_DATA_DIR_DIFFERS', params: { console: s.options.dataDir, service: q.dataDir } };
    }
    const stored = await readMuxServiceSettings(s.docs);
    if (stored) {
      const { certFile, keyFile, ...settings } = stored;
      const certificate = describeStoredCertificate(s.options.dataDir, { certFile, keyFile });
      out.settings = certificate ? { ...settings, certificate } : settings;
    }
    return out;
  };
  const act = async (name: ServiceName, action: 'start' | 'stop' | 'restart') => {
    const r = await control.control(name, action);
    if (!r.ok) throw new ApiFailure(r.problem.code, `${action} of the ${name} service failed: ${r.problem.code}`, r.problem.params);
    s.logger.log('info', 'services', `${name} service: ${action}`);
    return state(name);
  };
  return {
    'services.list': async () => Promise.all((['mux'] as const).map(state)),
    'services.start': ({ name }) => act(name, 'start'),
    'services.stop': ({ name }) => act(name, 'stop'),
    'services.setSettings': async ({ name, settings: { cert, key, ...settings }, user, password }) => {
      // Checked before anything is written: a refused certificate leaves settings and files as they were.
      if (cert === undefined && key !== undefined) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a private key needs its certificate', {});
      const checked = cert !== undefined ? checkMuxCertificate(cert, key) : undefined;
      const saved = await s.docs.update(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, async (current): Promise<StoredMuxServiceSettings> => {
        // The stored certificate stays only while its file is there (a restored backup does not carry it).
        const kept = current?.certFile && describeStoredCertificate(s.options.dataDir, current) ? { certFile: current.certFile, keyFile: current.keyFile } : undefined;
        const files = checked ? await writeMuxCertificate(s.options.dataDir, checked) : kept;
        if (settings.tlsPort !== undefined && !files) throw new ApiFailure('SERVICE_TLS_CERT_MISSING', 'a TLS port needs a certificate', {});
        return { ...settings, ...files };
      });
      if (checked && saved.certFile) await removeUnusedTlsFiles(s.options.dataDir, { certFile: saved.certFile, keyFile: saved.keyFile });
      if (user !== undefined) {
        await s.secrets.set(MUX_USER_SECRET, user);
        await s.secrets.set(MUX_PASSWORD_SECRET, password ?? '');
      }
      s.logger.log('info', 'services', `${name} service: settings saved${checked ? ` with a new ${checked.format.toUpperCase()} certificate` : ''}${user !== undefined ? ' with a new login' : ''}`);
      // A running service reads its settings at start: restart it so they apply now.
      if ((await control.query(name)).state === 'running') return act(name, 'restart');
      return state(name);
    },
  };
}
