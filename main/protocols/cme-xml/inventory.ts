// Reading what a CME has configured: SCCP phones (ephones) with their line buttons, extensions (ephone-dns),
// extension mobility user profiles and SIP phones (voice register pools). A multi-entity query (`all`) can fail
// on the XML buffer size; then the IDs are read with `allTag` and each entity on its own (Cisco's advice).
import { IsError, type CmeXmlClient } from './client';
import { child, children, text, type XmlNode } from './xml';

export interface ButtonAppearance {
  /** The line button (LineId), 1 = the phone's first button. */
  button: number;
  extId: string;
  number: string;
}

export interface SccpPhone {
  id: string;
  /** SEP + 12 hex digits. */
  name: string;
  description: string;
  /** `registered`, `unregistered`, … as ISDevStatus says. */
  status: string;
  buttons: ButtonAppearance[];
  /** The extension mobility user logged in on it (ISDevUsername), '' for none. */
  user: string;
}

export interface Extension {
  id: string;
  number: string;
  name: string;
  /** `cti watch` and `cti notify` are both configured (what the CSTA helper sets). */
  cti: boolean;
}

export interface UserProfile {
  id: string;
  userId: string;
  buttons: ButtonAppearance[];
}

export interface SipPhone {
  id: string;
  mac: string;
  numbers: string[];
}

export interface Inventory {
  phones: SccpPhone[];
  extensions: Extension[];
  profiles: UserProfile[];
  sipPhones: SipPhone[];
  /** The lists that had to be read one entity per request. */
  perId: string[];
}

interface ListShape {
  operation: string;
  idTag: string;
  listTag: string;
  itemTag: string;
}

const LISTS = {
  phones: { operation: 'ISgetDevice', idTag: 'ISDevID', listTag: 'ISDevices', itemTag: 'ISDevice' },
  extensions: { operation: 'ISgetExtension', idTag: 'ISExtID', listTag: 'ISExtensions', itemTag: 'ISExtension' },
  profiles: { operation: 'ISgetUserProfile', idTag: 'ISUserProfileID', listTag: 'ISUserProfiles', itemTag: 'ISUserProfile' },
  sipPhones: { operation: 'ISgetSipDevice', idTag: 'ISPoolID', listTag: 'ISSipDevices', itemTag: 'ISSipDevice' },
} satisfies Record<string, ListShape>;

function items(response: XmlNode, s: ListShape): XmlNode[] {
  return children(child(response, s.listTag), s.itemTag);
}

/** All entities of one kind; `all` first, `allTag` + one request per ID when the CME refuses `all`. */
async function readList(client: CmeXmlClient, s: ListShape, perId: string[]): Promise<XmlNode[]> {
  try {
    return items(await client.request(s.operation, [['ISKeyword', 'all']]), s);
  } catch (e) {
    if (!(e instanceof IsError)) throw e;
  }
  perId.push(s.operation);
  const ids = items(await client.request(s.operation, [['ISKeyword', 'allTag']]), s)
    .map((n) => text(n, s.idTag))
    .filter(Boolean);
  // As many workers as the client sends at once, each taking the next ID: not 5,000 requests waiting in memory
  // at once (their garbage slowed the whole read); the first failure stops them all.
  const found: XmlNode[][] = [];
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < ids.length) {
      const i = next++;
      try {
        found[i] = items(await client.request(s.operation, [[s.idTag, ids[i]]]), s);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: client.outstanding }, worker));
  return found.flat();
}

function appearances(list: XmlNode | undefined): ButtonAppearance[] {
  return children(list, 'ExtMapStatus')
    .map((m) => ({ button: Number(text(m, 'LineId')), extId: text(m, 'ExtId'), number: text(m, 'ExtNumber') }))
    .filter((b) => Number.isInteger(b.button) && b.button > 0 && b.number !== '')
    .sort((a, b) => a.button - b.button);
}

function extensionName(n: XmlNode): string {
  const own = text(n, 'name') || text(n, 'label');
  if (own) return own;
  return [text(n, 'firstName'), text(n, 'lastName')].filter(Boolean).join(' ') || text(n, 'description');
}

/** The extensions (ephone-dns), with whether CTI watches and notifies them. */
export async function readExtensions(client: CmeXmlClient, perId: string[] = []): Promise<Extension[]> {
  const cti = (n: XmlNode, k: string) => text(child(n, 'cti') ?? {}, k) === 'true';
  return (await readList(client, LISTS.extensions, perId)).map((n) => ({ id: text(n, 'ISExtID'), number: text(n, 'ISExtNumber'), name: extensionName(n), cti: cti(n, 'watch') && cti(n, 'notify') }));
}

function phoneOf(n: XmlNode): SccpPhone {
  return { id: text(n, 'ISDevID'), name: text(n, 'ISDevName'), description: text(n, 'description'), status: text(n, 'ISDevStatus'), buttons: appearances(child(n, 'ISPhoneLineList')), user: text(n, 'ISDevUsername') };
}

function profileOf(n: XmlNode): UserProfile {
  return { id: text(n, 'ISUserProfileID'), userId: text(n, 'ISuserID'), buttons: appearances(child(n, 'ISUserProfileLineList')) };
}

/**
 * What "update available lines" polls: the registered phones (`ISKeyword available`; where the CME refuses that,
 * every phone, filtered by ISDevStatus) with who is logged in on them, and the user profiles when asked for.
 */
export async function readRegistered(client: CmeXmlClient, withProfiles: boolean): Promise<{ phones: SccpPhone[]; profiles: UserProfile[] }> {
  let nodes: XmlNode[];
  try {
    nodes = items(await client.request(LISTS.phones.operation, [['ISKeyword', 'available']]), LISTS.phones);
  } catch (e) {
    if (!(e instanceof IsError)) throw e;
    nodes = await readList(client, LISTS.phones, []);
  }
  const phones = nodes.map(phoneOf).filter((p) => p.status === 'registered');
  const profiles = withProfiles ? (await readList(client, LISTS.profiles, [])).map(profileOf) : [];
  return { phones, profiles };
}

/** Reads the four lists (one after the other: IOS serves few requests at once). */
export async function readInventory(client: CmeXmlClient): Promise<Inventory> {
  const perId: string[] = [];
  const phones = (await readList(client, LISTS.phones, perId)).map(phoneOf);
  const extensions = await readExtensions(client, perId);
  const profiles = (await readList(client, LISTS.profiles, perId)).map(profileOf);
  const sipPhones = (await readList(client, LISTS.sipPhones, perId)).map((n) => ({
    id: text(n, 'ISPoolID'),
    mac: text(n, 'ISDevMac'),
    numbers: appearances(child(n, 'ISSipPhoneLineList')).map((b) => b.number),
  }));
  return { phones, extensions, profiles, sipPhones, perId };
}

/** A `voice register session-server` as ISgetSessionServer reports it. */
export interface SessionServerConfig {
  tag: string;
  registerId: string;
  /** Seconds; NaN when not given. */
  keepalive: number;
}

/**
 * The session servers (ISgetSessionServer) and whether `authenticate register` is on (ISgetVoiceRegGlobal; its
 * answer's members are a guess, so unknown stays undefined). A CME refusing either (ISError) gives what it could.
 */
export async function readSessionServers(client: CmeXmlClient): Promise<{ servers: SessionServerConfig[]; authenticateRegister: boolean | undefined }> {
  const refusedIsEmpty = <T>(e: unknown, empty: T): T => {
    if (e instanceof IsError) return empty;
    throw e;
  };
  const servers = await client.request('ISgetSessionServer', [['ISKeyword', 'all']]).then(
    (r) => children(child(r, 'ISSessionServers'), 'ISSessionServer').map((n) => ({ tag: text(n, 'ISSessionServerID'), registerId: text(n, 'ISSessionRegisterID'), keepalive: Number(text(n, 'ISSessionKeepAlives') || NaN) })),
    (e) => refusedIsEmpty(e, []),
  );
  const flag = await client.request('ISgetVoiceRegGlobal').then(
    (r) => text(child(r, 'ISSipGlobal') ?? {}, 'ISAuthenticateRegister'),
    (e) => refusedIsEmpty(e, ''),
  );
  return { servers, authenticateRegister: flag === '' ? undefined : flag === 'true' };
}
