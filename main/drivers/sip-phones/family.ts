// The SIP phones family in the registry: its driver (a client of our uaCSTA server) from a stored instance, and
// the simulated phones for `linekeeper sim sip-phones`.
import { FAMILY_SPECS } from '../../../shared/families';
import { sipPhoneSimCommand } from '../../sim/sip-phones/cli';
import { startDemoFleet } from '../../sim/sip-phones/demo';
import { linkSettings, type FamilyDriver } from '../family';
import { SipPhonesDriver } from './sip-phones-driver';

const spec = FAMILY_SPECS['sip-phones'];

export const sipPhonesFamily: FamilyDriver = {
  spec,
  driver: {
    settingsOf(instance, password, override) {
      const c = spec.connection.parse(instance.connection);
      return linkSettings({ host: c.host, port: c.port, tls: c.transport === 'tls', user: c.user, password: password ?? '' }, override);
    },
    create: (settings) => new SipPhonesDriver(settings),
  },
  simCommand: sipPhoneSimCommand,
  phoneServerDemo: { start: startDemoFleet },
};
