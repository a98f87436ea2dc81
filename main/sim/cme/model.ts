// What the simulated CME has configured: ephone-dns (extensions), SCCP ephones with line buttons, extension
// mobility user profiles, SIP phones (voice register pools) and the session server. Tests change it through the
// control API and ISexecCLI.
export const MAX_PHONES = 5000;

export interface SimExtension {
  id: number;
  number: string;
  name: string;
  ctiWatch: boolean;
  ctiNotify: boolean;
}

export interface SimEphone {
  id: number;
  /** 12 upper-case hex digits. */
  mac: string;
  type: string;
  description: string;
  registered: boolean;
  /** button number → extension id */
  buttons: Map<number, number>;
  /** The extension mobility user logged in on this phone (ISDevUsername). */
  user?: string;
}

export interface SimUserProfile {
  id: number;
  userId: string;
  /** button number → extension id */
  buttons: Map<number, number>;
}

export interface SimSipPhone {
  id: number;
  mac: string;
  numbers: string[];
}

export interface CmeLayout {
  extensions: SimExtension[];
  ephones: SimEphone[];
  profiles: SimUserProfile[];
  sipPhones: SimSipPhone[];
}

/** The number every shared phone has: a sales team number on two desks and as second button of phones 1 and 2. */
export const SHARED_NUMBER = '2900';

const mac = (prefix: string, i: number) => prefix + i.toString(16).toUpperCase().padStart(6, '0');

/**
 * `phones` SCCP ephones: ephone i has extension 2000+i on its first button; with four or more, the last two are
 * sales desks whose first button is the shared number 2900, which phones 1 and 2 carry as second button. Ephone 3
 * is unregistered. Two extension mobility users (anna: 3001 + 3002, ben: 3003) and two SIP phones (2501, 2502).
 */
export function defaultLayout(phones: number): CmeLayout {
  const extensions: SimExtension[] = [];
  const ext = (number: string, name: string): number => {
    const id = extensions.length + 1;
    extensions.push({ id, number, name, ctiWatch: false, ctiNotify: false });
    return id;
  };
  const desks = phones >= 4 ? 2 : 0;
  const shared = desks || phones >= 2 ? ext(SHARED_NUMBER, 'Sales') : 0;
  const ephones: SimEphone[] = [];
  for (let i = 1; i <= phones; i++) {
    const desk = i > phones - desks;
    const first = desk ? shared : ext(String(2000 + i), `User ${i}`);
    const buttons = new Map([[1, first]]);
    if (i <= 2 && shared) buttons.set(2, shared);
    ephones.push({ id: i, mac: mac('001122', i), type: '7965', description: desk ? `Sales desk ${i}` : `Phone ${i}`, registered: i !== 3, buttons });
  }
  const profiles: SimUserProfile[] = [
    { id: 1, userId: 'anna', buttons: new Map([[1, ext('3001', 'Anna Roam')], [2, ext('3002', 'Anna Team')]]) },
    { id: 2, userId: 'ben', buttons: new Map([[1, ext('3003', 'Ben Roam')]]) },
  ];
  const sipPhones: SimSipPhone[] = [
    { id: 1, mac: '0013.1978.3CA5', numbers: ['2501'] },
    { id: 2, mac: '0013.1978.3CA6', numbers: ['2502'] },
  ];
  return { extensions, ephones, profiles, sipPhones };
}

/**
 * Logs an extension mobility user in on an ephone (logging them out wherever they were, and whoever was on that
 * phone), or out with `ephoneId` null. Returns an error text for an unknown user or phone.
 */
export function setMobilityLogin(layout: CmeLayout, userId: string, ephoneId: number | null): string | undefined {
  if (!layout.profiles.some((p) => p.userId === userId)) return `no extension mobility user "${userId.slice(0, 64)}"`;
  const phone = ephoneId === null ? undefined : layout.ephones.find((e) => e.id === ephoneId);
  if (ephoneId !== null && !phone) return `no ephone ${ephoneId}`;
  for (const e of layout.ephones) if (e.user === userId) e.user = undefined;
  if (phone) phone.user = userId;
  return undefined;
}

/** The numbers in service: those on a registered phone's buttons or of a user logged in on one (the manual). */
export function numbersInService(layout: CmeLayout): Set<string> {
  const ids = new Set<number>();
  for (const e of layout.ephones) {
    if (!e.registered) continue;
    for (const id of e.buttons.values()) ids.add(id);
    const profile = e.user === undefined ? undefined : layout.profiles.find((p) => p.userId === e.user);
    for (const id of profile?.buttons.values() ?? []) ids.add(id);
  }
  return new Set(layout.extensions.filter((x) => ids.has(x.id)).map((x) => x.number));
}

/** `voice register session-server <tag>`: what the registrar and ISgetSessionServer go by. */
export interface SimSessionServer {
  tag: number;
  registerId: string;
  /** Seconds: the longest registration the CME grants this session server. */
  keepalive: number;
}

/**
 * The CSTA side's configuration, changed by ISexecCLI while the simulator runs: the session servers, `voice register
 * global / authenticate register` and `voice service voip / cti csta mode basic`.
 */
export interface CmeVoiceConfig {
  sessionServers: SimSessionServer[];
  authenticateRegister: boolean;
  /** UNSURE (reference addendum §2.2.7): taken to mean a reduced, MOC-compatible event set. */
  cstaModeBasic: boolean;
}

export function defaultVoiceConfig(registerId = 'ss_ecsta', authenticateRegister = false): CmeVoiceConfig {
  return { sessionServers: [{ tag: 1, registerId, keepalive: 600 }], authenticateRegister, cstaModeBasic: false };
}
