// The CME's CTI sessions as the one CstaSession the shared CSTA line driver talks to. UNSURE per the reference
// (addendum §2.2), so a setting: one CTI dialog for all lines (`shared`, Request-URI the session server's own), or
// one per line (`perLine`, Request-URI and To `sip:<DN>@cme`, opened at the line's MonitorStart). Each dialog is
// refreshed by re-INVITE when asked (RFC 4028, as MS RCC clients do), and the first one asks GetCSTAFeatures: a
// service the CME does not name is refused here as NOT_SUPPORTED instead of being sent.
import { CstaSessionError, type CstaArgs, type CstaEvent, type CstaResult, type CstaServiceName, type CstaSession, type CstaSwitchRequest, type InvokeOptions } from '../../protocols/csta/model';
import { openCstaDialog, type SipDialogCarrier, type XmlCstaSession } from '../../protocols/csta-xml';
import { header, type SipEndpoint } from '../../protocols/sip';
import { DriverErrorCodes as E, DriverFailure } from '../driver';

export type CtiDialogs = 'shared' | 'perLine';

export interface CtiOptions {
  endpoint: SipEndpoint;
  cmeHost: string;
  cmeSipPort: number;
  sessionServerId: string;
  dialogs: CtiDialogs;
  /** Re-INVITE each dialog: at half the Session-Expires the CME names, else every `refreshS` seconds; 0 = never. */
  refreshS: number;
  answerTimeoutMs?: number;
  /** RequestSystemStatus in the first dialog this often: a CME that stops answering ends the session; 0 = never. */
  keepAliveMs?: number;
}

/** A dialog's failure to open, said as the driver says it (the CME refused, or did not answer). */
function openFailure(e: Error & { code?: string }, o: CtiOptions, uri: string): DriverFailure {
  return new DriverFailure(E.rejected, `the CME refused the CTI dialog ${uri} of session server ${o.sessionServerId}: ${e.message}`, undefined, { host: o.cmeHost, port: o.cmeSipPort, cause: e.code ?? '', dialogs: o.dialogs });
}

/** Where a request is about: the device of the line it names (per-line dialogs go by it). */
const DEVICE_KEYS = ['monitorObject', 'callingDevice', 'callToBeAnswered', 'connectionToBeCleared', 'callToBeHeld', 'callToBeRetrieved', 'existingCall', 'heldCall', 'activeCall', 'callToBeDiverted', 'connectionToSendDigits', 'diallingConnection', 'device', 'snapshotObject'];

function lineOf(args: object): string | undefined {
  for (const k of DEVICE_KEYS) {
    const v = (args as Record<string, { id?: string; device?: { id?: string } } | undefined>)[k];
    const id = typeof v?.id === 'string' ? v.id : v?.device?.id;
    if (id) return id.replace(/^(tel|sip):/i, '').replace(/[@;].*$/, '');
  }
  return undefined;
}

export class CmeCtiSession implements CstaSession {
  readonly peer: string;
  /** Open dialogs by line ('' for the shared one), and in the order opened (cross-references carry the index). */
  private readonly byLine = new Map<string, Promise<XmlCstaSession>>();
  private readonly dialogs: XmlCstaSession[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly eventListeners = new Set<(e: CstaEvent) => void>();
  private readonly requestListeners = new Set<(r: CstaSwitchRequest) => void>();
  private readonly lostListeners = new Set<(e: CstaSessionError) => void>();
  private ended = false;
  /** What GetCSTAFeatures named; undefined: not asked yet, or the CME does not answer it (everything is tried). */
  supported: Set<string> | undefined;
  refreshes = 0;

  constructor(private readonly o: CtiOptions) {
    this.peer = `${o.cmeHost}:${o.cmeSipPort}`;
  }

  /** The shared form opens its dialog now (test connection proves it); the per-line form at each line's monitor. */
  async start(): Promise<void> {
    if (this.o.dialogs === 'shared') await this.dialogFor('');
  }

  get open(): boolean {
    return !this.ended;
  }

  get dialogCount(): number {
    return this.dialogs.filter((d) => d.open).length;
  }

  async invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>, options?: InvokeOptions): Promise<CstaResult<S>> {
    if (this.ended) throw new CstaSessionError('CSTA_NOT_CONNECTED', `CTI session to ${this.peer} is not open`, { service });
    if (service === 'monitorStop') {
      const [index, ref] = split((args as CstaArgs<'monitorStop'>).crossRefIdentifier);
      const dialog = this.dialogs[index];
      if (!dialog) throw new CstaSessionError('CSTA_UNIVERSAL_FAILURE', `no monitor ${ref}`, { service, failure: { category: 'operation', error: 'invalidMonitorCrossRefID' } as never });
      return dialog.invoke(service, { ...args, crossRefIdentifier: ref }, options);
    }
    const line = this.o.dialogs === 'shared' ? '' : lineOf(args);
    if (line === undefined) throw new DriverFailure(E.notSupported, `${service} names no line, and each line has its own CTI dialog (per-line dialogs)`, undefined, { service, peer: this.peer });
    const dialog = await this.dialogFor(line);
    if (this.supported && !this.supported.has(service)) {
      throw new DriverFailure(E.notSupported, `the CME does not offer ${service} (not among the services its GetCSTAFeatures answer names)`, undefined, { service, peer: this.peer });
    }
    const result = await dialog.invoke(service, args, options);
    if (service !== 'monitorStart') return result;
    const r = result as CstaResult<'monitorStart'>;
    return { ...r, crossRefIdentifier: `${this.dialogs.indexOf(dialog)}:${r.crossRefIdentifier}` } as CstaResult<S>;
  }

  onEvent(listener: (event: CstaEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onRequest(listener: (request: CstaSwitchRequest) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  onLost(listener: (error: CstaSessionError) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Ends every dialog and reports the session lost with `why` (once; nothing after close()). */
  fail(why: CstaSessionError): void {
    if (this.ended) return;
    this.stop();
    for (const l of this.lostListeners) l(why);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.stop();
  }

  private stop(): void {
    this.ended = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of this.dialogs) void d.close().catch(() => undefined);
  }

  private dialogFor(line: string): Promise<XmlCstaSession> {
    let p = this.byLine.get(line);
    if (!p) {
      p = this.openDialog(line);
      this.byLine.set(line, p);
      // A refused dialog is tried again at the line's next monitor.
      p.catch(() => this.byLine.get(line) === p && this.byLine.delete(line));
    }
    return p;
  }

  private async openDialog(line: string): Promise<XmlCstaSession> {
    const o = this.o;
    const user = line || o.sessionServerId;
    const uri = `sip:${user}@${o.cmeHost}:${o.cmeSipPort};transport=tcp`;
    let sessionExpires: number | undefined;
    const session = await openCstaDialog(o.endpoint, {
      uri,
      from: `sip:${o.sessionServerId}@${o.cmeHost}`,
      to: `sip:${user}@${o.cmeHost}`,
      invokeTimeoutMs: o.answerTimeoutMs,
      headers: o.refreshS > 0 ? [{ name: 'Supported', value: 'timer' }] : [],
      // One dialog's keep-alive tells of a hung CME; one per line would only multiply the traffic.
      keepAlive: o.keepAliveMs && this.dialogs.length === 0 ? { intervalMs: o.keepAliveMs } : undefined,
      onAnswer: (r) => (sessionExpires = Number(/^\s*(\d+)/.exec(header(r, 'Session-Expires') ?? '')?.[1]) || undefined),
    }).catch((e: Error & { code?: string }) => Promise.reject(openFailure(e, o, uri)));
    if (this.ended) {
      await session.close();
      throw new CstaSessionError('CSTA_CANCELLED', `CTI session to ${this.peer} closed`);
    }
    const index = this.dialogs.push(session) - 1;
    session.onEvent((e) => {
      const out = 'monitorCrossRefId' in e && typeof e.monitorCrossRefId === 'string' ? { ...e, monitorCrossRefId: `${index}:${e.monitorCrossRefId}` } : e;
      for (const l of this.eventListeners) l(out);
    });
    session.onRequest((r) => {
      for (const l of this.requestListeners) l(r);
    });
    session.onLost((e) => this.fail(e));
    if (o.refreshS > 0) this.scheduleRefresh(session, sessionExpires ? sessionExpires / 2 : o.refreshS);
    if (this.supported === undefined) await this.askFeatures(session);
    return session;
  }

  /** Capability exchange (addendum §2.2.3). A CME that refuses or ignores it gets every request tried. */
  private async askFeatures(session: XmlCstaSession): Promise<void> {
    try {
      this.supported = new Set((await session.invoke('getCSTAFeatures', {})).services);
    } catch {
      this.supported = undefined;
    }
  }

  private scheduleRefresh(session: XmlCstaSession, seconds: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.ended || !session.open) return;
      const dialog = (session.carrier as SipDialogCarrier).dialog;
      this.o.endpoint.reinvite(dialog, { headers: [{ name: 'Supported', value: 'timer' }] }).then(
        (r) => {
          // 481: the CME no longer knows the dialog; any other refusal: it does not take refreshes, so none are sent.
          if (r.status === 481) return this.fail(new CstaSessionError('CSTA_CONNECTION_LOST', `the CME no longer knows the CTI dialog (re-INVITE answered 481)`, { cause: 'SIP 481' }));
          if (r.status >= 300) return;
          this.refreshes++;
          this.scheduleRefresh(session, (Number(/^\s*(\d+)/.exec(header(r, 'Session-Expires') ?? '')?.[1]) || 2 * seconds) / 2);
        },
        (e: Error) => this.fail(new CstaSessionError('CSTA_CONNECTION_LOST', `session refresh (re-INVITE) of the CTI dialog failed: ${e.message}`)),
      );
    }, seconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }
}

/** `index:ref` → [index, ref]. */
function split(crossRef: string): [number, string] {
  const i = crossRef.indexOf(':');
  return i < 0 ? [0, crossRef] : [Number(crossRef.slice(0, i)), crossRef.slice(i + 1)];
}
