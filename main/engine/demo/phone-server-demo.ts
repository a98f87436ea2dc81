// The SIP phone server's demo, so a newcomer can try it without phones: the server (configured on this computer
// with demo logins if it never was, started if it is stopped) and the simulated phones of the family the registry
// names for it, some registering at once and one waiting to be provisioned by its address.
import type { DemoPhoneFleet, FamilyDriver } from '../../drivers/registry';
import type { UacstaService } from '../../servers/uacsta';
import type { SecretStore } from '../../store';
import { listenerOf, UACSTA_DEFAULT_SETTINGS, type UacstaDemoInfo } from '../../../shared/api/uacsta';
import { UACSTA_PHONE_PASSWORD_SECRET } from '../../servers/uacsta/secrets';
import { coded } from '../../../shared/problems';
import { simulatorLog, type DemoLogger } from './simulator-log';

export const DEMO_CLIENT_LOGIN = { user: 'cti', password: 'demo' };
const DEMO_PHONE_PASSWORD = 'demo-phones';

export interface PhoneServerDemoDeps {
  uacsta: UacstaService;
  secrets: SecretStore;
  family: FamilyDriver | undefined;
  logger: DemoLogger;
}

export class PhoneServerDemo {
  private fleet: DemoPhoneFleet | undefined;
  /** Whether the demo set the client login (then the console may show it). */
  private setLogin = false;
  private starting: Promise<UacstaDemoInfo> | undefined;

  constructor(private readonly d: PhoneServerDemoDeps) {}

  start(): Promise<UacstaDemoInfo> {
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  status(): UacstaDemoInfo | { running: false } {
    const f = this.fleet;
    const l = listenerOf(this.d.uacsta.status().listening, 'clients');
    if (!f || !l) return { running: false };
    return {
      running: true,
      phones: f.phones,
      waiting: { address: f.waiting.address, mac: f.waiting.mac, vendor: f.waiting.vendor, numbers: f.waiting.numbers, webUser: f.waiting.web.user, webPassword: f.waiting.web.password },
      client: { host: l.host === '0.0.0.0' ? '127.0.0.1' : l.host, port: l.port, ...(this.setLogin ? DEMO_CLIENT_LOGIN : {}) },
    };
  }

  async stop(): Promise<void> {
    const f = this.fleet;
    this.fleet = undefined;
    await f?.close();
  }

  private async doStart(): Promise<UacstaDemoInfo> {
    const family = this.d.family;
    const demo = family?.phoneServerDemo;
    if (!family || !demo) throw new Error('no family offers simulated phones');
    const view = await this.d.uacsta.view();
    if (!view.settings.configured) {
      // never configured: this computer only, free ports, demo logins (the wizard or the pages change them later)
      await this.d.uacsta.save({
        settings: { ...UACSTA_DEFAULT_SETTINGS, phone: { lan: '127.0.0.1', tcpPort: 0 }, client: { lan: '127.0.0.1', tcpPort: 0 }, configured: true },
        phonePassword: DEMO_PHONE_PASSWORD,
        clientUser: DEMO_CLIENT_LOGIN.user,
        clientPassword: DEMO_CLIENT_LOGIN.password,
      });
      this.setLogin = true;
    }
    const status = await this.d.uacsta.start();
    if (!this.fleet) {
      const password = (await this.d.secrets.get(UACSTA_PHONE_PASSWORD_SECRET))!;
      const phones = listenerOf(status.listening, 'phones')!;
      this.fleet = await demo.start({ server: { host: phones.host === '0.0.0.0' ? '127.0.0.1' : phones.host, port: phones.port }, password, logger: simulatorLog(this.d.logger, family.spec.id) });
      this.d.logger.info(coded('logApp.phonesDemo', { count: this.fleet.phones.length, address: this.fleet.waiting.address }));
    }
    return this.status() as UacstaDemoInfo;
  }
}
