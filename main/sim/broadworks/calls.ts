// The simulator's call model: one call half per user in a call (what Xsi calls a call), joined to the other
// user's half for calls inside the group; outside numbers have no half. Each change is an Advanced Call event
// for the user whose half changed.
import { SimGroup, type SimUser } from './users';

export type HalfState = 'Alerting' | 'Active' | 'Held' | 'Released';

export interface CallHalf {
  callId: string;
  extTrackingId: string;
  userId: string;
  personality: 'Originator' | 'Terminator';
  state: HalfState;
  /** The other party as this user sees it. */
  remote: { address: string; name: string; userId: string; callType: 'Group' | 'Network' };
  peer: CallHalf | undefined;
  startTime: number;
  answerTime?: number;
  heldTime?: number;
  releaseTime?: number;
  releaseCause?: string;
}

export type CallEventName = 'CallOriginatedEvent' | 'CallReceivedEvent' | 'CallAnsweredEvent' | 'CallHeldEvent' | 'CallRetrievedEvent' | 'CallReleasedEvent' | 'CallUpdatedEvent' | 'CallForwardedEvent' | 'CallTransferredEvent';
export type ConferenceEventName = 'ConferenceStartedEvent' | 'ConferenceUpdatedEvent' | 'ConferenceReleasedEvent';

export class CallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

export class CallModel {
  private readonly halves = new Map<string, CallHalf>();
  /** Each user's conference (at most one): the user's calls bridged together, all active. */
  private readonly conferences = new Map<string, Set<string>>();
  /** Conference changes, for the Advanced Call events of the controlling user. */
  onConference: (userId: string, event: ConferenceEventName, callIds: string[]) => void = () => undefined;
  private readonly noAnswerTimers = new Map<string, NodeJS.Timeout>();
  private nextId = 1;
  private nextTracking = 1;

  constructor(
    private readonly group: SimGroup,
    private readonly emit: (userId: string, event: CallEventName, half: CallHalf) => void,
    /** How long one ring lasts, for forwarding on no answer. */
    private readonly ringMs = 6000,
  ) {}

  get size(): number {
    return this.halves.size;
  }

  callsOf(userId: string): CallHalf[] {
    return [...this.halves.values()].filter((h) => h.userId === userId);
  }

  half(userId: string, callId: string): CallHalf {
    const h = this.halves.get(callId);
    if (!h || h.userId !== userId) throw new CallError(404, `call ${callId} is not a call of ${userId}`);
    return h;
  }

  /** A user dials an address (Xsi calls/new). */
  dial(userId: string, address: string): CallHalf {
    const caller = this.group.user(userId);
    if (!caller) throw new CallError(404, `no user ${userId}`);
    if (!/^[+*#0-9A-Za-z@._:-]{1,64}$/.test(address)) throw new CallError(400, `"${address}" is not an address that can be dialed`);
    const tracking = `${this.nextTracking++}:1`;
    const target = this.group.route(address);
    const orig = this.newHalf(caller, 'Originator', tracking, target ? partyOf(target) : network(address));
    this.emit(caller.userId, 'CallOriginatedEvent', orig);
    if (target) this.offer(orig, target, caller);
    return orig;
  }

  /** A call from outside the group to one of its users (control API). */
  incoming(from: string, to: string): CallHalf {
    const target = this.group.route(to);
    if (!target) throw new CallError(404, `no user reached by ${to}`);
    const caller = this.group.route(from);
    if (caller) {
      const orig = this.dial(caller.userId, to);
      return orig.peer ?? orig;
    }
    const tracking = `${this.nextTracking++}:1`;
    const h = this.ring(target, network(from), tracking, undefined);
    if (!h) throw new CallError(486, `${to} does not take calls (do not disturb)`);
    return h;
  }

  answer(userId: string, callId: string): void {
    const h = this.half(userId, callId);
    if (h.state !== 'Alerting' || h.personality !== 'Terminator') throw new CallError(400, `call ${callId} is not ringing at ${userId}`);
    this.connect(h);
  }

  /** The far end of an outgoing call to an outside number answers (control API). */
  farEndAnswers(callId: string): void {
    const h = this.halves.get(callId);
    if (!h || h.peer || h.state !== 'Alerting') throw new CallError(404, `call ${callId} is not an outgoing call ringing outside`);
    h.state = 'Active';
    h.answerTime = Date.now();
    this.emit(h.userId, 'CallAnsweredEvent', h);
  }

  hold(userId: string, callId: string): void {
    const h = this.half(userId, callId);
    if (h.state !== 'Active') throw new CallError(400, `call ${callId} is not active`);
    h.state = 'Held';
    h.heldTime = Date.now();
    this.emit(userId, 'CallHeldEvent', h);
  }

  /** Talk: answers a ringing call, retrieves a held one. */
  talk(userId: string, callId: string): void {
    const h = this.half(userId, callId);
    if (h.state === 'Alerting') return this.answer(userId, callId);
    if (h.state !== 'Held') throw new CallError(400, `call ${callId} is not held`);
    h.state = 'Active';
    h.heldTime = undefined;
    this.emit(userId, 'CallRetrievedEvent', h);
  }

  release(userId: string, callId: string, cause = 'localRelease'): void {
    const h = this.half(userId, callId);
    const peer = h.peer;
    this.end(h, cause);
    if (peer) this.end(peer, 'remoteRelease');
  }

  /** The user leaves the call; the other party is connected to `address` instead. */
  blindTransfer(userId: string, callId: string, address: string): void {
    const h = this.half(userId, callId);
    const target = this.group.route(address);
    const other = h.peer;
    if (!target && !/^[+*#0-9]{1,32}$/.test(address)) throw new CallError(400, `"${address}" is not an address to transfer to`);
    this.end(h, 'transfer');
    if (!other) {
      // The far end is outside the group (it has no half here): it now rings the target, if that is a user.
      // (A target on do not disturb takes nothing: the call is gone, as a busy transfer target leaves it.)
      if (target) this.ring(target, h.remote, h.extTrackingId, undefined);
      return;
    }
    other.peer = undefined;
    other.remote = target ? partyOf(target) : network(address);
    other.state = 'Alerting';
    this.emit(other.userId, 'CallTransferredEvent', other);
    if (target) {
      const otherUser = this.group.user(other.userId)!;
      this.offer(other, target, otherUser);
    }
  }

  /** Completes a consultation: the parties of the held and the active call talk to each other; the user leaves. */
  consultTransfer(userId: string, heldId: string, activeId: string): void {
    const held = this.half(userId, heldId);
    const active = this.half(userId, activeId);
    if (held === active || held.state !== 'Held' || (active.state !== 'Active' && active.state !== 'Alerting')) throw new CallError(400, `transfer needs a held and an active call of ${userId}`);
    const [x, y] = [held.peer, active.peer];
    const [xParty, yParty] = [held.remote, active.remote];
    this.end(held, 'transfer');
    this.end(active, 'transfer');
    const join = (h: CallHalf | undefined, other: CallHalf | undefined, party: CallHalf['remote']) => {
      if (!h) return;
      h.peer = other;
      h.remote = party;
      if (h.state === 'Held') h.state = 'Active';
      this.emit(h.userId, 'CallTransferredEvent', h);
    };
    join(x, y, yParty);
    join(y, x, xParty);
  }

  /** The user's conference: its calls (empty when there is none). */
  conferenceOf(userId: string): string[] {
    return [...(this.conferences.get(userId) ?? [])];
  }

  /**
   * Bridges calls of the user into its conference: starts one from two or more calls (Xsi POST calls/Conference),
   * or adds calls to the one it has (PUT). Held calls become active; each call must be answered.
   */
  conference(userId: string, callIds: string[], add: boolean): void {
    const existing = this.conferences.get(userId);
    if (add && !existing) throw new CallError(400, `${userId} has no conference to add to`);
    if (!add && existing) throw new CallError(400, `${userId} has a conference already: add calls to it`);
    const unique = [...new Set(callIds)];
    if (unique.length < (add ? 1 : 2)) throw new CallError(400, add ? 'name a call to add' : 'a conference needs two calls');
    const halves = unique.map((id) => this.half(userId, id));
    for (const h of halves) {
      if (h.state !== 'Active' && h.state !== 'Held') throw new CallError(400, `call ${h.callId} is not answered`);
      if (existing?.has(h.callId)) throw new CallError(400, `call ${h.callId} is in the conference already`);
    }
    const set = existing ?? new Set<string>();
    for (const h of halves) set.add(h.callId);
    // Everyone in the conference talks, including calls of it that were held to bring the new one in.
    for (const h of [...set].map((id) => this.halves.get(id)!)) {
      if (h.state === 'Held') {
        h.state = 'Active';
        h.heldTime = undefined;
        this.emit(userId, 'CallRetrievedEvent', h);
      }
    }
    this.conferences.set(userId, set);
    this.onConference(userId, existing ? 'ConferenceUpdatedEvent' : 'ConferenceStartedEvent', [...set]);
  }

  /** Ends the user's conference and every call in it (Xsi DELETE calls/Conference). */
  releaseConference(userId: string): void {
    const set = this.conferences.get(userId);
    if (!set) throw new CallError(404, `${userId} has no conference`);
    for (const id of [...set]) if (this.halves.has(id)) this.release(userId, id);
  }

  close(): void {
    for (const t of this.noAnswerTimers.values()) clearTimeout(t);
    this.noAnswerTimers.clear();
  }

  // ---- inside ----------------------------------------------------------------------------------------------

  /** Rings `target` for the originator's half, following its forwarding and do-not-disturb. */
  private offer(orig: CallHalf, target: SimUser, caller: SimUser): void {
    const term = this.ring(target, partyOf(caller), orig.extTrackingId, orig);
    if (!term) this.end(orig, 'busy');
  }

  private ring(target: SimUser, from: CallHalf['remote'], tracking: string, orig: CallHalf | undefined, hops = 0): CallHalf | undefined {
    const s = target.services;
    const forwardTo = (to: string) => {
      const next = this.group.route(to);
      if (orig) {
        orig.remote = next ? partyOf(next) : network(to);
        this.emit(orig.userId, 'CallForwardedEvent', orig);
      }
      return next && hops < 5 ? this.ring(next, from, tracking, orig, hops + 1) : undefined;
    };
    if (s.callForwardingAlways.active && s.callForwardingAlways.forwardToPhoneNumber) return forwardTo(s.callForwardingAlways.forwardToPhoneNumber);
    if (s.doNotDisturb.active) return undefined;
    const busy = this.callsOf(target.userId).some((h) => h.state !== 'Released');
    if (busy && s.callForwardingBusy.active && s.callForwardingBusy.forwardToPhoneNumber) return forwardTo(s.callForwardingBusy.forwardToPhoneNumber);
    const term = this.newHalf(target, 'Terminator', tracking, from);
    if (orig) {
      term.peer = orig;
      orig.peer = term;
    }
    this.emit(target.userId, 'CallReceivedEvent', term);
    const cfna = s.callForwardingNoAnswer;
    if (cfna.active && cfna.forwardToPhoneNumber) {
      const t = setTimeout(() => {
        this.noAnswerTimers.delete(term.callId);
        if (term.state !== 'Alerting' || !this.halves.has(term.callId)) return;
        const o = term.peer;
        this.end(term, 'forwarded');
        if (o) o.peer = undefined;
        forwardTo(cfna.forwardToPhoneNumber);
      }, cfna.numberOfRings * this.ringMs);
      t.unref();
      this.noAnswerTimers.set(term.callId, t);
    }
    return term;
  }

  private connect(term: CallHalf): void {
    const now = Date.now();
    term.state = 'Active';
    term.answerTime = now;
    this.emit(term.userId, 'CallAnsweredEvent', term);
    const orig = term.peer;
    if (orig && orig.state === 'Alerting') {
      orig.state = 'Active';
      orig.answerTime = now;
      this.emit(orig.userId, 'CallAnsweredEvent', orig);
    }
  }

  private newHalf(user: SimUser, personality: CallHalf['personality'], tracking: string, remote: CallHalf['remote']): CallHalf {
    const h: CallHalf = { callId: `callhalf-${this.nextId++}:0`, extTrackingId: tracking, userId: user.userId, personality, state: 'Alerting', remote, peer: undefined, startTime: Date.now() };
    this.halves.set(h.callId, h);
    return h;
  }

  private end(h: CallHalf, cause: string): void {
    if (!this.halves.delete(h.callId)) return;
    const t = this.noAnswerTimers.get(h.callId);
    if (t) clearTimeout(t);
    this.noAnswerTimers.delete(h.callId);
    h.state = 'Released';
    h.releaseTime = Date.now();
    h.releaseCause = cause;
    if (h.peer?.peer === h) h.peer.peer = undefined;
    this.emit(h.userId, 'CallReleasedEvent', h);
    // A conference down to one call is a plain call again.
    const conf = this.conferences.get(h.userId);
    if (conf?.delete(h.callId)) {
      if (conf.size >= 2) this.onConference(h.userId, 'ConferenceUpdatedEvent', [...conf]);
      else {
        this.conferences.delete(h.userId);
        this.onConference(h.userId, 'ConferenceReleasedEvent', [...conf]);
      }
    }
  }
}

function partyOf(u: SimUser): CallHalf['remote'] {
  return { address: `tel:${u.number}`, name: `${u.firstName} ${u.lastName}`, userId: u.userId, callType: 'Group' };
}

function network(address: string): CallHalf['remote'] {
  return { address: `tel:${address.replace(/^(tel|sip):/, '')}`, name: '', userId: '', callType: 'Network' };
}
