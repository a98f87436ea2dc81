import type { Handlers } from '../registry';
import type { Services } from '../../app/services';

type DriversHandlers = Pick<
  Handlers,
  | 'instances.testConnection'
  | 'instances.acceptCertificate'
  | 'lines.discover'
  | 'lines.discoverCancel'
  | 'lines.applyDiscovery'
  | 'lines.undoApply'
  | 'driver.start'
  | 'driver.stop'
  | 'driver.status'
  | 'driver.linkHistory'
  | 'driver.reconnectNow'
  | 'line.status'
  | 'lines.states'
  | 'line.makeCall'
  | 'line.clearCall'
  | 'line.setForwarding'
  | 'line.setDoNotDisturb'
  | 'line.setRemoteOffice'
  | 'line.callControl'
  | 'line.features'
>;

export function driversHandlers(s: Services): DriversHandlers {
  const d = s.drivers;
  return {
    'instances.testConnection': (input) => d.testConnection(input),
    'instances.acceptCertificate': ({ instanceId, fingerprint }) => d.acceptCertificate(instanceId, fingerprint),
    'lines.discover': ({ instanceId, requestId }) => d.discovery.discover(instanceId, requestId),
    'lines.discoverCancel': ({ requestId }) => d.discovery.cancel(requestId),
    'lines.applyDiscovery': ({ instanceId, requestId, keepUnlisted, keepNames }) => d.discovery.apply(instanceId, requestId, { keepUnlisted, keepNames }),
    'lines.undoApply': ({ instanceId }) => d.discovery.undo(instanceId),
    'driver.start': ({ instanceId }) => {
      s.instances.requireStored(instanceId);
      return d.start(instanceId);
    },
    'driver.stop': ({ instanceId }) => d.stop(instanceId),
    'driver.status': ({ instanceId }) => d.status(instanceId),
    'driver.linkHistory': async ({ instanceId }) => ({ events: d.linkHistory.list(instanceId) }),
    'driver.reconnectNow': ({ instanceId }) => d.started(instanceId).reconnectNow(),
    'line.status': ({ instanceId, line }) => d.started(instanceId).lineStatus(line),
    'lines.states': ({ instanceId, lines }) => d.lineStates(instanceId, lines),
    'line.makeCall': ({ instanceId, line, number, address }) => d.started(instanceId).makeCall(line, number, address),
    'line.clearCall': ({ instanceId, line, callId, address }) => d.started(instanceId).clearCall(line, callId, address),
    'line.setForwarding': ({ instanceId, line, on, to, which }) => d.started(instanceId).setForwarding(line, on, to, which),
    'line.setDoNotDisturb': ({ instanceId, line, on }) => d.started(instanceId).setDoNotDisturb(line, on),
    'line.setRemoteOffice': ({ instanceId, line, active, number }) => d.started(instanceId).setRemoteOffice(line, active, number),
    'line.callControl': ({ instanceId, line, request, address }) => d.started(instanceId).callControl(line, request, address),
    'line.features': ({ instanceId, line }) => d.started(instanceId).readFeatures(line),
  };
}
