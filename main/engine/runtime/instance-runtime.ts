// One running driver instance: the link with reconnect and backoff, its lines opened with a licence lease and a
// monitor (retried while the PBX refuses), call state kept from events and checked by periodic snapshots, and
// the status of every step pushed to the UI.
import { PASSWORD_NEEDED, type CallInfo, type LineAddress, type ConnectionState, type ConnectionStatus, type ConnectionTarget, type DriverError, type DriverStatus, type LineEvent, type LineState, type LineStateBrief, type LineStatus } from '../../../shared/api/drivers';
import { ApiFailure } from '../../../shared/api/errors';
import { lineRefOf, type Instance } from '../../../shared/model/instance';
import type { Line, LineRef } from '../../../shared/model/line';
import { DriverErrorCodes, DriverFailure, driverError, type Driver, type DriverLineEvent, type DriverSettings } from '../../drivers';
import { familySpec, type CallControlOp, type FamilySpec } from '../../../shared/families';
import type { CallControlRequest, CallControlResult, ForwardingKey, LineFeatures, RemoteOffice } from '../../../shared/api/call-control';
import { coded, type Coded, type ProblemCode } from '../../../shared/problems';
import type { Lease } from '../licences';
import { createNumberFormatter, type NumberFormatter } from '../rules';
import { CanonicalParseError, lineDisplayNumber, LocationError, resolveLocation, toCanonical, toDialable, type ResolvedLocation } from '../location';
import { statusStep, type StatusStep } from './status-step';
import { backoffDelay } from '../../util/backoff';

/** Entries the admin sees on the Status page are coded (`log.*`), so the console words them; others are English. */
export interface RuntimeLogger {
  error(m: string | Coded): void;
  warn(m: string | Coded): void;
  info(m: string | Coded): void;
  debug(m: string | Coded): void;
}

export interface RuntimeTiming {
  /** First reconnect delay; doubles per failed attempt up to `reconnectMaxMs` (the shared backoff, util/backoff). */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Fraction of each reconnect delay added or removed at random (0..1); default 0.2. */
  reconnectJitter?: number;
  /** Override the instance's monitor-retry and snapshot intervals (tests). */
  monitorRetryMs?: number;
  snapshotMs?: number;
  /** MonitorStarts in flight at once when opening many lines. */
  openConcurrency: number;
  /**
   * How often lines without a licence try again while connected: licences given back by another process (or a
   * key added there) are seen this late at most; those freed in this process are taken up at once.
   */
  licenceRetryMs: number;
}

export const DEFAULT_TIMING: RuntimeTiming = { reconnectInitialMs: 1000, reconnectMaxMs: 60_000, openConcurrency: 32, licenceRetryMs: 2000 };

export interface RuntimeDeps {
  loadInstance(id: string): Promise<Instance>;
  settingsOf(instance: Instance): Promise<DriverSettings>;
  createDriver(instance: Instance, settings: DriverSettings): Driver;
  /** Warnings to show beside the connection (the family's, e.g. a shipped default login). */
  warningsOf?(instance: Instance, settings: DriverSettings): Coded[];
  /** Whether a login refused after it worked stops the retries and waits for a new password (the family says). */
  repromptsPassword?(instance: Instance): boolean;
  /** What a link of the family depends on (a change reconnects); default: host, port, transport and login. */
  reconnectKeyOf?(instance: Instance, settings: DriverSettings): string | undefined;
  /** The family's spec (line identity); default: the shipped family of the instance. */
  specOf?(instance: Instance): FamilySpec;
  lease(instanceId: string, line: string): Promise<Lease>;
  /** Leases for many lines at once, in order (one ledger decision and write); a failure in place of each not taken. */
  leaseMany?(instanceId: string, lines: string[]): Promise<Array<Lease | Error>>;
  release(lease: Lease): void;
  /** Gives many leases back at once (one ledger write): stopping, or a line list shrinking by many lines. */
  releaseMany?(leases: Lease[]): void;
  /** Stores a Super-Twin handset found at run time as the line's "Mobile" address. */
  saveMobile?(instanceId: string, line: string, mobile: string): Promise<void>;
  onStatus(s: ConnectionStatus): void;
  onLineEvent(e: LineEvent): void;
  logger: RuntimeLogger;
  timing?: Partial<RuntimeTiming>;
}

interface LineRuntime {
  line: Line;
  /** The line's identity and address; the line table is keyed by `ref.key`. */
  ref: LineRef;
  state: LineState;
  lease: Lease | undefined;
  lastError: DriverError | null;
  nextRetryAt: number | null;
  calls: Map<string, CallInfo>;
  doNotDisturb: boolean | null;
  forwarding: { on: boolean; to: string | null } | null;
  inService: boolean | null;
}

/** A party's number made canonical by the location (an incoming caller, or a number as dialed). */
const canonicalParty = (loc: ResolvedLocation, n: string | null, outgoing: boolean): string | null => (n ? (toCanonical(loc, n, outgoing)?.output ?? n) : n);

// Formatted once per millisecond: opening 10,000 lines stamps 10,000 state events, and formatting a date costs more
// than the rest of such an event.
let nowMs = -1;
let nowText = '';
const now = (): string => {
  const ms = Date.now();
  if (ms !== nowMs) {
    nowMs = ms;
    nowText = new Date(ms).toISOString();
  }
  return nowText;
};

/** The settings a link depends on: a change reconnects. A family may name its own (`reconnectKeyOf`). */
const keyOf = (s: DriverSettings) => JSON.stringify([s.mode, s.host, s.port, s.tls, s.user, s.password, s.fingerprint]);
const errOf = (e: unknown): DriverError =>
  e instanceof DriverFailure ? driverError(e) : e instanceof ApiFailure ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };

export class InstanceRuntime {
  private driver: Driver | undefined;
  private instance: Instance | undefined;
  private formatter: NumberFormatter | undefined;
  /** The instance's location when it is in use (a location number is set and valid), else null. */
  private location: ResolvedLocation | null = null;
  private readonly lines = new Map<string, LineRuntime>();
  private running = false;
  private generation = 0;
  private readonly timing: RuntimeTiming;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  private licenceTimer: NodeJS.Timeout | undefined;
  private takingLicences = false;
  private readonly eventTimes: number[] = [];
  private status: ConnectionStatus;
  private settingsKey = '';
  /** The driver settings last read (a save that needs no reconnect replaces them). */
  private settings: DriverSettings | undefined;
  /** The settings key of the last link that logged in: a login refused with the same settings is a changed password. */
  private workedKey: string | undefined;
  /** Waiting for (or trying) a new password after one stopped working: a refused one is asked for again, not retried. */
  private awaitingPassword = false;
  /** The link was lost since the last connection: calls may have begun meanwhile that no event told. */
  private recovering = false;
  private warnings: Coded[] = [];
  /** The host and port of the settings last connected with. */
  private configured: { host: string; port: number } | undefined;

  constructor(
    readonly instanceId: string,
    private readonly deps: RuntimeDeps,
  ) {
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.status = { instanceId, state: 'stopped', since: now(), step: 'stopped', stepCode: 'stopped', stepParams: {}, lastError: null, attempts: 0, nextAttemptAt: null, eventsPerSecond: 0, warnings: [], target: null };
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The connected driver, for discovery while the instance runs (the PBX takes one CSTA client only). */
  get connectedDriver(): Driver | undefined {
    return this.driver?.connected ? this.driver : undefined;
  }

  /** Connects and opens every line; resolves after the first attempt (the runtime keeps retrying on failure). */
  async start(): Promise<DriverStatus> {
    if (this.running) return this.driverStatus();
    this.running = true;
    this.status.attempts = 0;
    await this.attempt();
    return this.driverStatus();
  }

  async stop(): Promise<DriverStatus> {
    this.running = false;
    this.generation++;
    this.clearTimers();
    const driver = this.driver;
    this.driver = undefined;
    const leases: Lease[] = [];
    for (const l of this.lines.values()) {
      if (l.lease) leases.push(l.lease);
      l.lease = undefined;
      l.calls.clear();
      this.setLineState(l, 'closed', null);
    }
    this.releaseAll(leases);
    await driver?.close().catch(() => undefined);
    this.setStatus('stopped', statusStep('stopped'), { nextAttemptAt: null });
    return this.driverStatus();
  }

  /**
   * Takes up a changed line list while running: removed lines are closed and their licences returned, new lines
   * opened. Without a link the next connection picks the list up anyway.
   */
  async reload(): Promise<DriverStatus> {
    if (!this.running) return this.driverStatus();
    const gen = this.generation;
    this.adoptInstance(await this.deps.loadInstance(this.instanceId));
    if (this.driver && gen === this.generation) {
      await this.openLines(gen, [...this.lines.values()].filter((l) => l.state === 'opening' || l.state === 'noLicence' || l.state === 'closed'));
      this.setStatus('connected', this.openSummary());
    }
    return this.driverStatus();
  }

  /**
   * Takes up edited settings while running: number rules and intervals at once; a changed host, port, TLS or
   * login reconnects with the new values.
   */
  async settingsChanged(): Promise<void> {
    if (!this.running) return;
    const instance = await this.deps.loadInstance(this.instanceId);
    const settings = await this.deps.settingsOf(instance);
    const key = this.reconnectKey(instance, settings);
    const before = { snapshot: this.snapshotMs(), monitorRetry: this.monitorRetryMs() };
    this.adoptInstance(instance);
    if (key === this.settingsKey) {
      // The driver's own settings (a poll interval) change on the link it has; one still connecting gets them once up.
      this.settings = settings;
      if (this.driver) this.settingsTaken(this.driver, settings);
      return this.intervalsChanged(before);
    }
    this.deps.logger.info(coded('log.settingsChanged', { instance: this.name }));
    const driver = this.driver;
    this.driver = undefined;
    this.generation++;
    this.clearTimers();
    for (const l of this.lines.values()) {
      l.calls.clear();
      if (l.state === 'open' || l.state === 'retrying') this.setLineState(l, 'opening', null);
    }
    await driver?.close().catch(() => undefined);
    this.status.attempts = 0;
    await this.attempt();
  }

  /**
   * While waiting for the next attempt (or for a new password): tries at once. A link that is up or an attempt
   * under way is left alone.
   */
  async reconnectNow(): Promise<DriverStatus> {
    const waiting = this.reconnectTimer !== undefined || this.status.stepCode === 'passwordNeeded';
    if (!this.running || this.driver || !waiting) return this.driverStatus();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.deps.logger.info(coded('logApp.reconnectNow', { instance: this.name }));
    await this.attempt();
    return this.driverStatus();
  }

  driverStatus(): DriverStatus {
    let open = 0;
    let retrying = 0;
    let noLicence = 0;
    for (const l of this.lines.values()) {
      if (l.state === 'open') open++;
      else if (l.state === 'retrying') retrying++;
      else if (l.state === 'noLicence') noLicence++;
    }
    return { instanceId: this.instanceId, running: this.running, connection: this.connectionStatus(), lines: { total: this.lines.size, open, retrying, noLicence } };
  }

  connectionStatus(): ConnectionStatus {
    return { ...this.status, eventsPerSecond: this.eventsPerSecond(), warnings: [...this.warnings], target: this.target() };
  }

  /** Where the link goes: what the driver reports (an SRV target), else the configured host and port. */
  private target(): ConnectionTarget | null {
    const d = this.driver;
    if (!d?.connected || !this.configured) return null;
    return d.connectedTo?.() ?? { ...this.configured, via: 'configured' };
  }

  lineStatus(number: string): LineStatus {
    const l = this.requireLine(number);
    return {
      instanceId: this.instanceId,
      line: l.ref.key,
      number: l.line.number,
      display: this.displayOf(l),
      state: l.state,
      mobile: l.line.mobile ?? null,
      lastError: l.lastError,
      nextRetryAt: l.nextRetryAt === null ? null : new Date(l.nextRetryAt).toISOString(),
      calls: [...l.calls.values()],
      doNotDisturb: l.doNotDisturb,
      forwarding: l.forwarding,
      inService: l.inService,
    };
  }

  /** The state of many lines at once (the lines table's visible rows); lines this instance lacks are left out. */
  lineStates(keys: readonly string[]): LineStateBrief[] {
    const out: LineStateBrief[] = [];
    for (const key of keys) {
      const l = this.lines.get(key);
      if (l) out.push({ line: key, state: l.state, inService: l.inService });
    }
    return out;
  }

  /**
   * Numbers dialed from the PC: a canonical number is made dialable by the location (extension, or outside number
   * with access code), then the dialing rules apply; an empty result means the rules forbid it.
   */
  async makeCall(number: string, destination: string, address: LineAddress = 'line'): Promise<{ callId: string; dialed: string }> {
    const l = this.requireOpenLine(number);
    const dialed = this.dialable(destination);
    const { callId } = await this.call(() => this.driver!.makeCall(this.refOf(l, address), dialed));
    return { callId, dialed };
  }

  async clearCall(number: string, callId?: string, address: LineAddress = 'line'): Promise<{ cleared: number }> {
    const l = this.requireOpenLine(number);
    const ref = this.refOf(l, address);
    const ids = callId ? [callId] : [...l.calls.keys()];
    for (const id of ids) await this.call(() => this.driver!.clearCall(ref, id));
    return { cleared: ids.length };
  }

  /** What the PBX is to dial for a number from the PC: the location's step, then the dialing rules. */
  private dialable(destination: string): string {
    const dialed = this.formatter!.dialing(this.fromCanonical(destination)).output;
    if (!dialed) throw new ApiFailure('NUMBER_SUPPRESSED', `the dialing rules turn "${destination}" into nothing, so it is not dialed`, { number: destination });
    return dialed;
  }

  /** A canonical number made dialable by the location; other numbers, and all without a location, stay. */
  private fromCanonical(n: string): string {
    if (!this.location) return n;
    try {
      return toDialable(this.location, n)?.output ?? n;
    } catch (e) {
      if (e instanceof CanonicalParseError) throw new ApiFailure('NUMBER_NOT_CANONICAL', e.message, { text: n });
      throw e;
    }
  }

  /** The line itself, or its Super-Twin handset (the "Mobile" address) once learnt or set by the admin. */
  private refOf(l: LineRuntime, address: LineAddress): LineRef {
    if (address === 'line') return l.ref;
    if (!l.line.mobile) throw new ApiFailure('NO_MOBILE_ADDRESS', `line ${l.line.number} has no Mobile address yet (learnt when its Super-Twin handset rings, or set by hand)`, { line: l.ref.key });
    return { ...l.ref, number: l.line.mobile };
  }

  private displayOf(l: LineRuntime): string {
    return this.location ? lineDisplayNumber(this.location, l.line.number) : l.line.number;
  }

  /** Without `which`: immediate forwarding of all calls (the one LineStatus.forwarding shows). */
  async setForwarding(number: string, on: boolean, toGiven?: string, which?: ForwardingKey): Promise<LineStatus> {
    const l = this.requireOpenLine(number);
    this.requireOp('setForwarding');
    const to = toGiven === undefined ? undefined : this.fromCanonical(toGiven);
    if (which?.kind === 'busy') this.requireOp('forwardBusy');
    if (which?.kind === 'noAnswer') this.requireOp('forwardNoAnswer');
    if (which && which.callers !== 'all') this.requireOp('forwardByCaller');
    const plain = !which || (which.kind === 'immediate' && which.callers === 'all');
    await this.call(() => this.driver!.setForwarding(l.ref, on, to, plain ? undefined : which));
    if (plain) l.forwarding = { on, to: on ? (to ?? null) : null };
    return this.lineStatus(number);
  }

  /** The call operations beyond make call and hang up; numbers to call go through the dialing rules as in makeCall. */
  async callControl(number: string, request: CallControlRequest, address: LineAddress = 'line'): Promise<CallControlResult> {
    const l = this.requireOpenLine(number);
    this.requireOp(request.op);
    const control = this.driver!.callControl?.bind(this.driver);
    if (!control) throw this.notSupported(request.op);
    this.requireCallIds(request);
    const ref = this.refOf(l, address);
    let r = request;
    if ('to' in r) r = { ...r, to: this.dialable(r.to) };
    // Extensions named by a canonical number (pickup from, the party to drop) are made internal; no dialing rules.
    if (r.op === 'pickup') r = { ...r, from: this.fromCanonical(r.from) };
    if (r.op === 'removeParty') r = { ...r, party: this.fromCanonical(r.party) };
    const sent = r;
    try {
      return await this.call(() => control(ref, sent));
    } catch (e) {
      // The family has the operation, but this PBX (its model, version or licences) does not: said as such.
      if (e instanceof ApiFailure && e.code === DriverErrorCodes.notSupported) throw this.notSupported(request.op, e.message);
      throw e;
    }
  }

  /** Call IDs the family cannot carry are the caller's mistake, told before the PBX is asked (not a lost link). */
  private requireCallIds(request: CallControlRequest): void {
    const instance = this.instance;
    const pattern = instance && (this.deps.specOf?.(instance) ?? familySpec(instance.family)).callIdPattern;
    if (!pattern) return;
    for (const field of ['callId', 'heldCallId', 'activeCallId'] as const) {
      const value = (request as Partial<Record<typeof field, string>>)[field];
      if (value !== undefined && !pattern.test(value)) throw new ApiFailure('CALL_ID_INVALID', `${field} "${value}" is not a call ID of this PBX (${instance.family})`, { field, callId: value, family: instance.family });
    }
  }

  /**
   * The line's calls after asking the PBX (SnapshotDevice): calls that began before the monitor did are added, with
   * the direction unknown; a one-shot client (the CLI) sees the calls it is to act on this way.
   */
  async refreshCalls(number: string): Promise<CallInfo[]> {
    const l = this.requireOpenLine(number);
    const calls = await this.call(() => this.driver!.snapshot(l.ref));
    for (const c of calls) {
      const known = l.calls.get(c.callId);
      if (c.callId && c.state !== 'cleared') l.calls.set(c.callId, known ? { ...known, state: c.state } : { callId: c.callId, state: c.state, direction: 'unknown', remote: '', remoteRaw: '', since: now() });
    }
    return [...l.calls.values()];
  }

  /** Forwarding and do-not-disturb as the PBX has them now; the line's status follows what was read. */
  async readFeatures(number: string): Promise<LineFeatures> {
    const l = this.requireOpenLine(number);
    this.requireOp('readFeatures');
    const read = this.driver!.readFeatures?.bind(this.driver);
    if (!read) throw this.notSupported('readFeatures');
    const f = await this.call(() => read(l.ref));
    l.doNotDisturb = f.doNotDisturb;
    const immediate = f.forwarding.find((x) => x.kind === 'immediate' && x.callers === 'all');
    l.forwarding = immediate?.on ? { on: true, to: immediate.to } : { on: false, to: null };
    return f;
  }

  private requireOp(op: CallControlOp): void {
    const family = this.instance?.family;
    if (!family || !(this.deps.specOf?.(this.instance!) ?? familySpec(family)).capabilities.callControl.includes(op)) throw this.notSupported(op);
  }

  private notSupported(op: string, detail?: string): ApiFailure {
    const family = this.instance?.family ?? '';
    return new ApiFailure('CALL_CONTROL_NOT_SUPPORTED', `${op} is not supported by this PBX (${family}${detail ? `: ${detail}` : ''})`, { op, family });
  }

  /** Remote Office on (calls ring at `to`) or off, then as read back from the platform. */
  async setRemoteOffice(number: string, active: boolean, toGiven?: string): Promise<RemoteOffice> {
    const l = this.requireOpenLine(number);
    this.requireOp('remoteOffice');
    const set = this.driver!.setRemoteOffice?.bind(this.driver);
    if (!set) throw this.notSupported('remoteOffice');
    const to = toGiven === undefined ? undefined : this.fromCanonical(toGiven);
    await this.call(() => set(l.ref, active, to));
    return this.readRemoteOffice(number);
  }

  async readRemoteOffice(number: string): Promise<RemoteOffice> {
    const l = this.requireOpenLine(number);
    this.requireOp('remoteOffice');
    const read = this.driver!.readRemoteOffice?.bind(this.driver);
    if (!read) throw this.notSupported('remoteOffice');
    return this.call(() => read(l.ref));
  }

  async setDoNotDisturb(number: string, on: boolean): Promise<LineStatus> {
    const l = this.requireOpenLine(number);
    this.requireOp('setDoNotDisturb');
    await this.call(() => this.driver!.setDoNotDisturb(l.ref, on));
    l.doNotDisturb = on;
    return this.lineStatus(number);
  }

  /** Hands the driver a save that needs no reconnect and logs what it took up. */
  private settingsTaken(driver: Driver, settings: DriverSettings): void {
    for (const t of driver.updateSettings?.(settings) ?? []) this.deps.logger.info(coded(t.code, { ...t.params, instance: this.name }));
  }

  private reconnectKey(instance: Instance, settings: DriverSettings): string {
    return this.deps.reconnectKeyOf?.(instance, settings) ?? keyOf(settings);
  }

  // ---- connecting -------------------------------------------------------------------------------------------

  private async attempt(): Promise<void> {
    const gen = this.generation;
    this.status.attempts++;
    this.setStatus(this.status.attempts > 1 ? 'retrying' : 'connecting', statusStep('connecting', { attempt: this.status.attempts }), { nextAttemptAt: null });
    let driver: Driver | undefined;
    try {
      const instance = await this.deps.loadInstance(this.instanceId);
      const settings = await this.deps.settingsOf(instance);
      this.settingsKey = this.reconnectKey(instance, settings);
      this.settings = settings;
      this.configured = { host: settings.host, port: settings.port };
      this.warnings = this.deps.warningsOf?.(instance, settings) ?? [];
      this.adoptInstance(instance);
      driver = this.deps.createDriver(instance, settings);
      driver.onEvent((e) => this.onDriverEvent(e));
      driver.onLost((e) => this.onLost(driver!, e));
      this.setStatus(this.status.state, statusStep('loggingIn', { host: settings.host, port: settings.port }));
      const reply = await driver.connect();
      if (gen !== this.generation) {
        await driver.close();
        return;
      }
      this.driver = driver;
      if (this.settings && this.settings !== settings) this.settingsTaken(driver, this.settings);
      this.workedKey = this.settingsKey;
      this.awaitingPassword = false;
      this.deps.logger.info(coded('log.connected', { instance: this.name, reply }));
      this.setStatus('connected', statusStep('startingMonitors', { count: this.lines.size }), { lastError: null });
      await this.openLines(gen);
      if (gen !== this.generation) return;
      this.status.attempts = 0;
      this.setStatus('connected', this.openSummary());
      this.scheduleSnapshots();
      this.scheduleLicenceRetry();
      if (this.recovering) {
        this.recovering = false;
        void this.recoverCalls(gen);
      }
    } catch (e) {
      if (gen !== this.generation) return;
      if (driver && driver !== this.driver) await driver.close().catch(() => undefined);
      const err = errOf(e);
      const changedPassword = err.code === DriverErrorCodes.loginRejected && (this.workedKey === this.settingsKey || this.awaitingPassword) && this.instance && this.deps.repromptsPassword?.(this.instance);
      if (err.code === PASSWORD_NEEDED || changedPassword) return this.passwordNeeded(err);
      this.scheduleReconnect(err);
    }
  }

  private onLost(driver: Driver, e: DriverFailure): void {
    if (driver !== this.driver || !this.running) return;
    const err = driverError(e);
    this.driver = undefined;
    this.generation++;
    this.clearTimers();
    // The next attempt makes a new driver; whatever the lost one still holds (timers, sockets, a local port) goes now.
    void driver.close().catch(() => undefined);
    this.deps.logger.warn(coded('log.linkLost', { instance: this.name, failure: e.code, detail: e.message }));
    this.recovering = true;
    // Calls seen so far may have ended while the link was down; the monitors restart from a clean state.
    for (const l of this.lines.values()) {
      l.calls.clear();
      if (l.state === 'open' || l.state === 'retrying') this.setLineState(l, 'opening', err);
    }
    this.status.attempts = 0;
    this.setStatus('lost', statusStep('lost', { code: e.code, message: e.message }), { lastError: err });
    if (e.code === PASSWORD_NEEDED) return this.passwordNeeded(err);
    this.scheduleReconnect(err, 0);
  }

  /**
   * The PBX refuses a password that worked before (changed in its web portal): retrying with it would only
   * lock the account, so the runtime waits for a new one (`instances.setSecret` reconnects).
   */
  private passwordNeeded(error: DriverError): void {
    this.awaitingPassword = true;
    this.deps.logger.warn(coded('log.passwordNeeded', { instance: this.name, detail: error.message }));
    this.setStatus('lost', statusStep('passwordNeeded'), { lastError: { code: PASSWORD_NEEDED, message: error.message }, nextAttemptAt: null });
  }

  private scheduleReconnect(error: DriverError, delayOverride?: number): void {
    if (!this.running) return;
    const gen = this.generation;
    const delay = delayOverride ?? backoffDelay(this.status.attempts, { initialMs: this.timing.reconnectInitialMs, maxMs: this.timing.reconnectMaxMs, jitter: this.timing.reconnectJitter });
    const at = Date.now() + delay;
    // The first attempt after a lost link goes at once: "in 0 s" would read oddly.
    const facts = { instance: this.name, failure: error.code, detail: error.message, ms: delay, seconds: Math.round(delay / 1000) };
    this.deps.logger.warn(delay < 1000 ? coded('log.retryingNow', facts) : coded('log.retrying', facts));
    this.setStatus(this.status.state === 'lost' && delay === 0 ? 'lost' : 'retrying', statusStep('waiting', { seconds: Math.round(delay / 1000) }), {
      lastError: error,
      nextAttemptAt: new Date(at).toISOString(),
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (gen === this.generation && this.running) void this.attempt();
    }, delay);
  }

  // ---- lines ------------------------------------------------------------------------------------------------

  /** How logs name the instance: by its name once loaded (the ID only before). */
  get name(): string {
    return this.instance?.name ?? this.instanceId;
  }

  private adoptInstance(instance: Instance): void {
    this.instance = instance;
    this.formatter = createNumberFormatter(instance.numberFormat);
    this.location = this.locationOf(instance);
    const spec = this.deps.specOf?.(instance) ?? familySpec(instance.family);
    const refs = instance.lines.map((line) => ({ line, ref: lineRefOf(spec, line) }));
    const wanted = new Set(refs.map((r) => r.ref.key));
    const returned: Lease[] = [];
    for (const [key, l] of this.lines) {
      if (wanted.has(key)) continue;
      if (l.lease) returned.push(l.lease);
      this.lines.delete(key);
      this.driver?.monitorStop(l.ref).catch((e: unknown) => this.deps.logger.debug(coded('logApp.monitorStopFailed', { instance: this.name, line: l.line.number, detail: `${key}: ${errOf(e).message}` })));
    }
    for (const { line, ref } of refs) {
      const l = this.lines.get(ref.key);
      if (l) l.line = line;
      else this.lines.set(ref.key, { line, ref, state: 'opening', lease: undefined, lastError: null, nextRetryAt: null, calls: new Map(), doNotDisturb: null, forwarding: null, inService: null });
    }
    this.releaseAll(returned);
  }

  private releaseAll(leases: Lease[]): void {
    if (!leases.length) return;
    if (this.deps.releaseMany) this.deps.releaseMany(leases);
    else for (const l of leases) this.deps.release(l);
  }

  private locationOf(instance: Instance): ResolvedLocation | null {
    try {
      const loc = resolveLocation(instance.location);
      return loc.prefix ? loc : null;
    } catch (e) {
      if (!(e instanceof LocationError)) throw e;
      this.deps.logger.warn(coded('logApp.locationUnused', { instance: this.name, ...(e.problems[0] ? { problem: coded(e.problems[0].code as ProblemCode, e.problems[0].params) } : {}), detail: e.message }));
      return null;
    }
  }

  private licensedByServer(): boolean {
    return !!this.instance && (this.deps.specOf?.(this.instance) ?? familySpec(this.instance.family)).linesLicensedByServer === true;
  }

  /** A line's licence from the pool, or where the server licenses the lines, a lease the pool never held (releasing it does nothing). */
  private takeLease(key: string): Promise<Lease> {
    return this.licensedByServer() ? Promise.resolve({ id: `server:${key}`, instanceId: this.instanceId, line: key, kind: 'line' }) : this.deps.lease(this.instanceId, key);
  }

  private async openLines(gen: number, which?: LineRuntime[]): Promise<void> {
    let queue = which ?? [...this.lines.values()];
    // Licences for all of them first, in the order of the line list, in one go; then the monitors are pipelined.
    const unleased = queue.filter((l) => !l.lease && !this.inFlight.has(l.ref.key));
    if (this.deps.leaseMany && unleased.length > 1 && !this.licensedByServer()) {
      const leases = await this.deps.leaseMany(this.instanceId, unleased.map((l) => l.ref.key));
      if (gen !== this.generation) {
        this.releaseAll(leases.filter((x): x is Lease => !(x instanceof Error)));
        return;
      }
      unleased.forEach((l, i) => {
        const x = leases[i];
        if (x instanceof Error) this.setLineState(l, 'noLicence', errOf(x));
        else l.lease = x;
      });
      queue = queue.filter((l) => l.lease || this.inFlight.has(l.ref.key));
    }
    await this.eachLine(gen, queue, (l) => this.openLine(l));
    this.scheduleRetries();
  }

  /** `fn` for each line, `openConcurrency` at a time, until the generation changes. */
  private async eachLine(gen: number, queue: LineRuntime[], fn: (l: LineRuntime) => Promise<void>): Promise<void> {
    // An index, not shift(): shifting a 10,000-line queue moves every element each time.
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        if (gen !== this.generation) return;
        await fn(queue[next++]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.timing.openConcurrency, Math.max(1, queue.length)) }, worker));
  }

  /**
   * After a lost link: the calls each open line has now, read from the PBX (snapshot). A call that began while the
   * link was down had no event; it shows now, with the direction unknown.
   */
  private async recoverCalls(gen: number): Promise<void> {
    await this.eachLine(gen, [...this.lines.values()], async (l) => {
      const driver = this.driver;
      if (l.state !== 'open' || !driver) return;
      try {
        for (const c of await driver.snapshot(l.ref)) {
          if (gen !== this.generation || !c.callId || c.state === 'cleared' || l.calls.has(c.callId)) continue;
          l.calls.set(c.callId, { callId: c.callId, state: c.state, direction: 'unknown', remote: '', remoteRaw: '', since: now() });
          this.emitLine(l, { event: 'snapshotFound', callId: c.callId, callState: c.state, calling: null, called: null, cause: null });
        }
      } catch (e) {
        this.deps.logger.debug(coded('logApp.snapshotFailed', { instance: this.name, line: l.line.number, detail: errOf(e).message }));
      }
    });
  }

  /** Opens under way: a second open of the same line (two reloads racing) joins the first instead of leasing twice. */
  private readonly inFlight = new Map<string, Promise<void>>();

  private openLine(l: LineRuntime): Promise<void> {
    const key = l.ref.key;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.openLineOnce(l).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async openLineOnce(l: LineRuntime): Promise<void> {
    if (!l.lease) {
      try {
        l.lease = await this.takeLease(l.ref.key);
      } catch (e) {
        this.setLineState(l, 'noLicence', errOf(e));
        return;
      }
    }
    const driver = this.driver;
    if (!driver) return;
    try {
      await driver.monitorStart(l.ref);
      l.nextRetryAt = null;
      this.setLineState(l, 'open', null);
    } catch (e) {
      const err = errOf(e);
      if (err.code === DriverErrorCodes.linkLost || err.code === DriverErrorCodes.notConnected) return;
      l.nextRetryAt = Date.now() + this.monitorRetryMs();
      this.setLineState(l, 'retrying', err);
    }
  }

  private monitorRetryMs(): number {
    return this.timing.monitorRetryMs ?? (this.instance?.advanced.monitorRetryInterval ?? 60) * 1000;
  }

  private snapshotMs(): number {
    return this.timing.snapshotMs ?? (this.instance?.advanced.snapshotInterval ?? 60) * 1000;
  }

  /**
   * A changed interval counts from now on without a reconnect: snapshots run at the new interval, and lines
   * waiting to retry their monitor are due the new interval after their failure.
   */
  private intervalsChanged(before: { snapshot: number; monitorRetry: number }): void {
    if (!this.driver) return;
    const snapshot = this.snapshotMs();
    if (snapshot !== before.snapshot && this.snapshotTimer) {
      clearInterval(this.snapshotTimer);
      this.startSnapshotTimer();
      this.deps.logger.info(coded('logApp.snapshotInterval', { instance: this.name, seconds: snapshot / 1000 }));
    }
    const retry = this.monitorRetryMs();
    if (retry !== before.monitorRetry) {
      for (const l of this.lines.values()) if (l.state === 'retrying' && l.nextRetryAt !== null) l.nextRetryAt += retry - before.monitorRetry;
      this.scheduleRetries();
    }
  }

  /** One timer for all lines whose MonitorStart failed: it fires when the earliest is due. */
  private scheduleRetries(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    let due = Infinity;
    for (const l of this.lines.values()) if (l.state === 'retrying' && l.nextRetryAt !== null) due = Math.min(due, l.nextRetryAt);
    if (due === Infinity || !this.driver) return;
    const gen = this.generation;
    this.retryTimer = setTimeout(
      () => {
        if (gen !== this.generation) return;
        const ready = [...this.lines.values()].filter((l) => l.state === 'retrying' && l.nextRetryAt !== null && l.nextRetryAt <= Date.now());
        void Promise.all(ready.map((l) => this.openLine(l))).then(() => {
          if (gen === this.generation) this.scheduleRetries();
        });
      },
      Math.max(0, due - Date.now()),
    );
  }

  private scheduleLicenceRetry(): void {
    const gen = this.generation;
    this.licenceTimer = setInterval(() => {
      if (gen === this.generation) void this.takeFreedLicences();
    }, this.timing.licenceRetryMs);
    this.licenceTimer.unref();
  }

  /**
   * Lines that found no licence take the ones now free, in the order of the line list: leases are taken one by one
   * from the first waiting line and stop at the first refusal, so a later line never overtakes an earlier one.
   * Called on a timer and whenever licences come back in this process (an instance stopped, a key added).
   */
  async takeFreedLicences(): Promise<number> {
    const instance = this.instance;
    if (!this.driver || !instance || this.takingLicences) return 0;
    // the common case, every line licensed, costs one pass over the table
    let anyWaiting = false;
    for (const l of this.lines.values()) {
      if (l.state !== 'noLicence') continue;
      anyWaiting = true;
      break;
    }
    if (!anyWaiting) return 0;
    const spec = this.deps.specOf?.(instance) ?? familySpec(instance.family);
    const waiting: LineRuntime[] = [];
    for (const line of instance.lines) {
      const l = this.lines.get(lineRefOf(spec, line).key);
      if (l?.state === 'noLicence' && !l.lease) waiting.push(l);
    }
    if (!waiting.length) return 0;
    const gen = this.generation;
    this.takingLicences = true;
    try {
      const leased: LineRuntime[] = [];
      for (const l of waiting) {
        if (gen !== this.generation) return 0;
        try {
          l.lease = await this.takeLease(l.ref.key);
        } catch {
          break;
        }
        leased.push(l);
      }
      if (!leased.length || gen !== this.generation) return 0;
      this.deps.logger.info(coded('logApp.licencesFound', { instance: this.name, count: leased.length, first: leased[0].line.number }));
      await this.openLines(gen, leased);
      if (gen === this.generation) this.setStatus('connected', this.openSummary());
      return leased.length;
    } finally {
      this.takingLicences = false;
    }
  }

  /** Asks the PBX which calls each busy line really has, and drops the ones it no longer knows. */
  private scheduleSnapshots(): void {
    const gen = this.generation;
    // The event rate in the status only moves with events; tell the UI when it changed.
    let lastRate = this.eventsPerSecond();
    this.rateTimer = setInterval(() => {
      const rate = this.eventsPerSecond();
      if (gen !== this.generation || rate === lastRate) return;
      lastRate = rate;
      this.deps.onStatus(this.connectionStatus());
    }, 5000);
    this.rateTimer.unref();
    this.startSnapshotTimer();
  }

  private startSnapshotTimer(): void {
    const gen = this.generation;
    this.snapshotTimer = setInterval(() => {
      if (gen !== this.generation || !this.driver) return;
      void this.snapshotOnce();
    }, this.snapshotMs());
    this.snapshotTimer.unref();
  }

  /** One snapshot round over the lines that hold calls. */
  async snapshotOnce(): Promise<number> {
    let dropped = 0;
    for (const l of this.lines.values()) {
      if (l.state !== 'open' || l.calls.size === 0 || !this.driver) continue;
      try {
        const calls = await this.driver.snapshot(l.ref);
        const live = new Set(calls.map((c) => c.callId));
        for (const id of [...l.calls.keys()]) {
          if (live.has(id)) continue;
          l.calls.delete(id);
          dropped++;
          this.emitLine(l, { event: 'snapshotCleared', callId: id, callState: 'cleared', calling: null, called: null, cause: null });
        }
      } catch (e) {
        this.deps.logger.debug(coded('logApp.snapshotFailed', { instance: this.name, line: l.line.number, detail: errOf(e).message }));
      }
    }
    return dropped;
  }

  // ---- events -----------------------------------------------------------------------------------------------

  private onDriverEvent(e: DriverLineEvent): void {
    const l = this.lines.get(e.line);
    if (!l) return;
    this.eventTimes.push(Date.now());
    if (this.eventTimes.length > 5000) this.eventTimes.splice(0, 2500);
    if (e.event === 'doNotDisturb') l.doNotDisturb = !!e.featureOn;
    if (e.event === 'outOfService' || e.event === 'backInService') l.inService = e.event === 'backInService';
    // Only unconditional forwarding of all calls is the line's `forwarding`; the others are read with readFeatures.
    if (e.event === 'forwarding' && (!e.forwarding || (e.forwarding.kind === 'immediate' && e.forwarding.callers === 'all'))) l.forwarding = { on: !!e.featureOn, to: e.featureOn ? (e.forwardTo ?? null) : null };
    if (e.callId !== null && e.callState !== null) this.applyCall(l, e);
    if (e.alertingDevice && e.called === l.line.number && !l.line.mobile) this.learnTwin(l, e.alertingDevice);
    this.emitLine(l, e);
  }

  private applyCall(l: LineRuntime, e: DriverLineEvent): void {
    const id = e.callId!;
    if (e.mergedCallId && e.mergedCallId !== id) l.calls.delete(e.mergedCallId);
    if (e.callState === 'cleared') {
      l.calls.delete(id);
      return;
    }
    // A Super-Twin handset's ringing reaches the desk line's monitor too; it is not the desk line's own state.
    if (e.alertingDevice) return;
    const prev = l.calls.get(id);
    let direction = prev?.direction ?? 'unknown';
    if (direction === 'unknown') {
      if (e.event === 'serviceInitiated' || e.event === 'originated' || e.calling === l.line.number) direction = 'outgoing';
      else if (e.event === 'delivered' || e.called === l.line.number) direction = 'incoming';
    }
    const remoteRaw = (direction === 'outgoing' ? e.called : e.calling) ?? prev?.remoteRaw ?? '';
    const f = this.formatter!;
    // The location makes the number canonical first, then the incoming/outgoing rules see it (the manuals' order).
    const canonical = remoteRaw && this.location ? toCanonical(this.location, remoteRaw, direction === 'outgoing')?.output : undefined;
    const ruleInput = canonical ?? remoteRaw;
    const formatted = ruleInput ? (direction === 'outgoing' ? f.outgoing(ruleInput) : f.incoming(ruleInput)) : undefined;
    // No rule matched: the canonical number stays as written (the rules see it without its punctuation).
    const remote = !formatted ? '' : canonical !== undefined && formatted.outcome === 'unchanged' ? canonical : formatted.output;
    // A conference keeps its parties until one leaves (removed, or hung up); two left make it a plain call again.
    let parties = e.parties ?? prev?.parties;
    if (parties && e.leftParty) parties = parties.filter((p) => p !== e.leftParty);
    l.calls.set(id, { callId: id, state: e.callState!, direction, remote, remoteRaw, ...(canonical !== undefined ? { remoteCanonical: canonical } : {}), ...(parties && parties.length > 1 ? { parties } : {}), since: now() });
  }

  private learnTwin(l: LineRuntime, mobile: string): void {
    l.line = { ...l.line, mobile };
    this.deps.logger.info(coded('log.mobileFound', { instance: this.name, line: l.line.number, mobile }));
    void this.deps.saveMobile?.(this.instanceId, l.ref.key, mobile).catch((err: unknown) => this.deps.logger.warn(coded('log.mobileNotStored', { instance: this.name, line: l.line.number, detail: errOf(err).message })));
  }

  private emitLine(l: LineRuntime, e: Pick<DriverLineEvent, 'event' | 'callId' | 'callState' | 'calling' | 'called' | 'cause' | 'alertingDevice'>): void {
    const call = e.callId ? l.calls.get(e.callId) : undefined;
    const loc = this.location;
    // With a location the parties are reported canonical (the calling one as an incoming number, the called one as dialed).
    const numbers = loc && (e.calling || e.called)
      ? { calling: canonicalParty(loc, e.calling, false), called: canonicalParty(loc, e.called, true), remote: call?.remote ?? null, raw: { calling: e.calling, called: e.called } }
      : { calling: e.calling, called: e.called, remote: call?.remote ?? null };
    this.deps.onLineEvent({
      instanceId: this.instanceId,
      line: l.ref.key,
      number: l.line.number,
      display: this.displayOf(l),
      event: e.event,
      callId: e.callId,
      callState: e.callState,
      numbers,
      cause: e.cause,
      time: now(),
      lineState: l.state,
      ...(e.alertingDevice ? { twin: e.alertingDevice } : {}),
    });
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private setLineState(l: LineRuntime, state: LineState, error: DriverError | null): void {
    const changed = l.state !== state;
    l.state = state;
    l.lastError = error;
    if (state !== 'retrying') l.nextRetryAt = null;
    // The cause of a line's state change is the failure's code, which the console words (the message is English).
    if (changed && this.running) this.emitLine(l, { event: `line.${state}`, callId: null, callState: null, calling: null, called: null, cause: error?.code ?? null });
  }

  private setStatus(state: ConnectionState, step: StatusStep, patch: Partial<ConnectionStatus> = {}): void {
    if (state !== this.status.state) this.status.since = now();
    this.status = { ...this.status, ...patch, state, step: step.text, stepCode: step.code, stepParams: step.params };
    this.deps.onStatus(this.connectionStatus());
  }

  private openSummary(): StatusStep {
    const s = this.driverStatus().lines;
    return statusStep('open', { open: s.open, total: s.total, retrying: s.retrying, noLicence: s.noLicence });
  }

  private eventsPerSecond(): number {
    const since = Date.now() - 5000;
    let n = 0;
    for (let i = this.eventTimes.length - 1; i >= 0 && this.eventTimes[i] >= since; i--) n++;
    return Math.round((n / 5) * 10) / 10;
  }

  private clearTimers(): void {
    for (const t of [this.reconnectTimer, this.retryTimer]) if (t) clearTimeout(t);
    for (const t of [this.snapshotTimer, this.rateTimer, this.licenceTimer]) if (t) clearInterval(t);
    this.reconnectTimer = this.retryTimer = this.snapshotTimer = this.rateTimer = this.licenceTimer = undefined;
  }

  /**
   * A line by its key, or by its number where the key is more (CME: number|MAC, so the admin types 2003, not
   * 2003|001122000003); a number on several lines (a shared line) must be given as the key.
   */
  private requireLine(number: string): LineRuntime {
    const l = this.lines.get(number);
    if (l) return l;
    const same = [...this.lines.values()].filter((x) => x.line.number === number);
    if (same.length === 1) return same[0];
    if (same.length > 1) throw new ApiFailure('LINE_AMBIGUOUS', `number ${number} is on ${same.length} lines of instance ${this.instanceId} (${same.map((x) => x.ref.key).join(', ')}): give the line as one of those`, { number, lines: same.map((x) => x.ref.key).join(', ') });
    throw new ApiFailure('LINE_NOT_FOUND', `line ${number} is not a line of instance ${this.instanceId}`, { number });
  }

  private requireOpenLine(number: string): LineRuntime {
    const l = this.requireLine(number);
    if (!this.driver || l.state !== 'open') throw new ApiFailure('LINE_NOT_OPEN', `line ${number} is not open (${l.state}${this.driver ? '' : ', not connected'})`);
    return l;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = errOf(e);
      throw new ApiFailure(err.code, err.message, e instanceof DriverFailure && Object.keys(e.params).length ? e.params : undefined);
    }
  }
}
