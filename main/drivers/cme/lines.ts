// The manual's operation mode: one line per SCCP phone (the number of its first line button, device ID = the
// phone's SEP name), so a number that is first button on several phones is a line per phone; one line per
// extension mobility user (first button of the profile, no device ID); with "read line buttons" the other
// buttons are addresses of the line. SIP phones cannot be monitored over CME CSTA and are listed as skipped.
import { coded, type Coded } from '../../../shared/problems';
import type { DiscoveredDevice } from '../driver';
import type { ButtonAppearance, Inventory } from '../../protocols/cme-xml';

export interface LineOptions {
  readButtons: boolean;
  readNames: boolean;
  inRange?: (number: string) => boolean;
}

export interface CmeLines {
  devices: DiscoveredDevice[];
  outOfRange: number;
  warnings: Coded[];
}

export function linesOf(inv: Inventory, o: LineOptions): CmeLines {
  const byId = new Map(inv.extensions.map((x) => [x.id, x]));
  const byNumber = new Map(inv.extensions.map((x) => [x.number, x]));
  const nameOf = (b: ButtonAppearance) => (o.readNames ? (byId.get(b.extId) ?? byNumber.get(b.number))?.name ?? '' : '');
  const others = (buttons: ButtonAppearance[]) => [...new Set(buttons.slice(1).map((b) => b.number))].filter((n) => n !== buttons[0].number);
  const devices: DiscoveredDevice[] = [];
  const warnings: Coded[] = [];
  let outOfRange = 0;
  const add = (d: DiscoveredDevice) => {
    if (o.inRange && !o.inRange(d.number)) outOfRange++;
    else devices.push(d);
  };
  for (const p of inv.phones) {
    const [first] = p.buttons;
    if (!first) {
      warnings.push(coded('warnings.phoneWithoutLines', { device: p.name || p.id }));
      continue;
    }
    const buttons = o.readButtons ? others(p.buttons) : [];
    add({ number: first.number, name: nameOf(first), kind: 'proprietary', deviceId: p.name, ...(buttons.length ? { buttons } : {}) });
  }
  const mobility = new Map<string, string>();
  for (const u of inv.profiles) {
    const [first] = u.buttons;
    if (!first) continue;
    const earlier = mobility.get(first.number);
    if (earlier !== undefined) {
      warnings.push(coded('warnings.mobilityNumberTaken', { number: first.number, user: u.userId, first: earlier }));
      continue;
    }
    mobility.set(first.number, u.userId);
    const buttons = o.readButtons ? others(u.buttons) : [];
    add({ number: first.number, name: nameOf(first) || (o.readNames ? u.userId : ''), kind: 'proprietary', ...(buttons.length ? { buttons } : {}) });
  }
  for (const s of inv.sipPhones) warnings.push(coded('warnings.sipPhoneSkipped', { device: s.mac || s.id, numbers: s.numbers.join(', ') || '-' }));
  return { devices, outOfRange, warnings };
}
