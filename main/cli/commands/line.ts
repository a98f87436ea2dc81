// `linekeeper line <verb>`: call control on one line for scripts. A one-shot command: it starts the instance's
// driver in this process (lease, monitor, dialing rules and family checks as `serve` applies them), does the one
// operation, and stops it again (see docs/panasonic-driver.md, "Call control from the command line").
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, group, parseOptions, parseWholeNumber, requireOption, UsageError, type CliIO, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { isApiError } from '../../../shared/api/errors';
import { CALL_STATES, type CallInfo, type LineAddress } from '../../../shared/api/drivers';
import { FORWARDING_CALLERS, FORWARDING_KINDS, type CallControlRequest, type ForwardingKey, type RemoteOffice } from '../../../shared/api/call-control';
import { createServices } from '../../app/services';
import type { InstanceRuntime } from '../../engine/runtime/instance-runtime';

const COMMON = {
  instance: { type: 'string' },
  line: { type: 'string' },
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  /** How long the line may take to open (seconds). */
  timeout: { type: 'string' },
  /** Act with the line's Super-Twin handset (its "Mobile" address) instead of the line. */
  mobile: { type: 'boolean', default: false },
} as const;
const COMMON_USAGE = '--instance NAME --line NUMBER [--json] [--timeout SECONDS] [--data-dir DIR]';
/** The verbs that can act as the line's Super-Twin handset; the others set or read the line's own features. */
const MOBILE_VERBS: string[] = [];

type Values = Record<string, string | boolean | undefined>;
/** What a verb does with the open line; its result is printed (JSON with --json, else `text`). */
type Act = (rt: InstanceRuntime, line: string, address: LineAddress) => Promise<{ result: Record<string, unknown>; text: string }>;

/** The call a verb acts on: --call, or the line's only call in one of `states` (as a softphone picks it). */
async function pickCall(rt: InstanceRuntime, line: string, id: string | undefined, states: CallInfo['state'][], what: string): Promise<CallInfo> {
  const calls = await rt.refreshCalls(line);
  if (id) {
    const c = calls.find((x) => x.callId === id);
    if (!c) throw new CliFailure(`line ${line} has no call ${id} (calls: ${calls.map((x) => `${x.callId} ${x.state}`).join(', ') || 'none'})`);
    return c;
  }
  const fit = calls.filter((c) => states.includes(c.state));
  if (fit.length === 1) return fit[0];
  throw new CliFailure(`line ${line} has ${fit.length ? `${fit.length} calls that are ${states.join(' or ')}; name one with --call` : `no call that is ${what}`}`);
}

class CliFailure extends Error {}

async function control(rt: InstanceRuntime, line: string, address: LineAddress, request: CallControlRequest) {
  const r = await rt.callControl(line, request, address);
  return { result: { op: request.op, ...r }, text: `${request.op}: done${r.callId ? ` (call ${r.callId})` : ''}` };
}

/** Starts the driver, waits for the line to open, acts, and always stops the driver again. */
async function onOpenLine(io: CliIO, verb: string, values: Values, act: Act): Promise<number> {
  const name = requireOption(values.instance as string | undefined, '--instance');
  const line = requireOption(values.line as string | undefined, '--line');
  const timeoutMs = parseWholeNumber(values.timeout as string | undefined, 15, 1, 600, (v) => `--timeout must be 1-600 seconds, got "${v}"`) * 1000;
  const services = createServices({ dataDir: resolveDataDir(values['data-dir'] as string | undefined), transport: 'websocket', logLevel: 'warn' });
  let instanceId: string | undefined;
  try {
    instanceId = (await services.instances.getByName(name)).id;
    await services.drivers.start(instanceId);
    const rt = services.drivers.started(instanceId);
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = rt.lineStatus(line);
      if (s.state === 'open') break;
      if (s.state === 'noLicence' || Date.now() > end) {
        const why = s.lastError ?? rt.connectionStatus().lastError;
        throw new CliFailure(`line ${line} did not open within ${timeoutMs / 1000} s (${s.state}${why ? `: ${why.message} [${why.code}]` : ''})`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const { result, text } = await act(rt, line, values.mobile ? 'mobile' : 'line');
    io.stdout(values.json ? JSON.stringify({ instance: name, line, ...result }, null, 2) + '\n' : text + '\n');
    return EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = isApiError(e) ? e.code : undefined;
    if (values.json) io.stdout(JSON.stringify({ instance: name, line, error: { code: code ?? 'FAILED', message: (e as Error).message, ...(isApiError(e) && e.details ? { details: e.details } : {}) } }, null, 2) + '\n');
    io.stderr(`linekeeper line ${verb}: ${(e as Error).message}${code ? ` [${code}]` : ''}\n`);
    // A wrong instance or line name is how the command was called; everything else is the operation failing.
    return code === 'INVALID_INPUT' || code === 'NOT_FOUND' || code === 'LINE_NOT_FOUND' ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    if (instanceId) await services.drivers.stop(instanceId).catch(() => undefined);
    await services.dispose();
  }
}

/** One verb: its own flags over the common ones, and what it does; `mobile`: it can act with the Mobile address. */
function verb<O extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(name: string, summary: string, usage: string, options: O, plan: (v: Values) => Act, mobile = true): Command {
  if (mobile) MOBILE_VERBS.push(name);
  return {
    name,
    summary,
    usage: `linekeeper line ${name} ${COMMON_USAGE}${mobile ? ' [--mobile]' : ''} ${usage}`.trim(),
    async run(argv, io) {
      const { values } = parseOptions(argv, { ...COMMON, ...options });
      // Parsed for every verb so that a misplaced one is named, not ignored: forwarding and DND belong to the line.
      if ((values as Values).mobile && !mobile) throw new UsageError(`--mobile goes with ${MOBILE_VERBS.join(', ')}; ${name} sets and reads the line's own settings`);
      const act = plan(values as Values);
      return onOpenLine(io, name, values as Values, act);
    },
  };
}

const str = (v: Values, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

function onOff(v: Values): boolean | undefined {
  if (v.on && v.off) throw new UsageError('--on and --off exclude each other');
  return v.on ? true : v.off ? false : undefined;
}

function forwardingKey(v: Values): ForwardingKey {
  const kind = str(v, 'kind') ?? 'immediate';
  const callers = str(v, 'callers') ?? 'all';
  if (!(FORWARDING_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${FORWARDING_KINDS.join('|')}, got "${kind}"`);
  if (!(FORWARDING_CALLERS as readonly string[]).includes(callers)) throw new UsageError(`--callers must be one of ${FORWARDING_CALLERS.join('|')}, got "${callers}"`);
  return { kind, callers } as ForwardingKey;
}

const call = verb(
  'call',
  'dial a number from the line (--dial-tone: on its call that has dial tone), send DTMF digits on its connected call, or, on a call to a busy extension, ask to be called back (--callback; --callback --to N without a call) or intrude',
  '(--number N [--dial-tone] | --digits 123# | --callback [--to N] | --intrude) [--call ID]',
  { 'dial-tone': { type: 'boolean', default: false }, number: { type: 'string' }, digits: { type: 'string' }, call: { type: 'string' }, callback: { type: 'boolean', default: false }, intrude: { type: 'boolean', default: false }, to: { type: 'string' } },
  (v) => {
  const number = str(v, 'number');
  const digits = str(v, 'digits');
  if ([number, digits, v.callback, v.intrude].filter(Boolean).length !== 1) throw new UsageError('give one of --number, --digits, --callback or --intrude');
  if (str(v, 'to') && !v.callback) throw new UsageError('--to goes with --callback');
  if (v['dial-tone'] && !number) throw new UsageError('--dial-tone goes with --number');
  // Dial in dial-tone mode: the number is dialed on the line's call that has dial tone (off-hook, no number yet).
  if (v['dial-tone']) return async (rt, line, address) => control(rt, line, address, { op: 'dial', callId: (await pickCall(rt, line, str(v, 'call'), ['initiated'], 'waiting for digits (dial tone)')).callId, to: number! });
  if (v.callback && str(v, 'to')) return (rt, line, address) => control(rt, line, address, { op: 'callBackTo', to: str(v, 'to')! });
  if (v.callback || v.intrude) {
    const op = v.callback ? 'callBack' : 'intrude';
    return async (rt, line, address) => control(rt, line, address, { op, callId: (await pickCall(rt, line, str(v, 'call'), ['connected', 'initiated', 'failed'], 'placed')).callId });
  }
  if (number) return async (rt, line, address) => {
    const r = await rt.makeCall(line, number, address);
    return { result: { op: 'makeCall', ...r }, text: `dialed ${r.dialed} (call ${r.callId})` };
  };
  return async (rt, line, address) => control(rt, line, address, { op: 'digits', callId: (await pickCall(rt, line, str(v, 'call'), ['connected'], 'connected')).callId, digits: digits! });
  },
);

const answer = verb('answer', 'answer the ringing call, or pick up the call ringing at another extension', '[--call ID] [--from EXTENSION]', { call: { type: 'string' }, from: { type: 'string' } }, (v) => {
  const from = str(v, 'from');
  if (from) return (rt, line, address) => control(rt, line, address, { op: 'pickup', from, ...(str(v, 'call') ? { callId: str(v, 'call') } : {}) });
  return async (rt, line, address) => control(rt, line, address, { op: 'answer', callId: (await pickCall(rt, line, str(v, 'call'), ['alerting'], 'ringing')).callId });
});

const hangup = verb('hangup', "clear the line's call (its only one, or --call ID): the line leaves it, a two-party call ends", '[--call ID]', { call: { type: 'string' } }, (v) => async (rt, line, address) => {
  const c = await pickCall(rt, line, str(v, 'call'), CALL_STATES.filter((s) => s !== 'cleared'), 'active');
  await rt.clearCall(line, c.callId, address);
  return { result: { op: 'clearCall', callId: c.callId }, text: `hangup: done (call ${c.callId})` };
});

const hold = verb('hold', 'put the connected call on hold', '[--call ID]', { call: { type: 'string' } }, (v) => async (rt, line, address) =>
  control(rt, line, address, { op: 'hold', callId: (await pickCall(rt, line, str(v, 'call'), ['connected'], 'connected')).callId }),
);

const retrieve = verb('retrieve', 'take the held call back; --swap holds the connected call at the same time', '[--call ID] [--swap]', { call: { type: 'string' }, swap: { type: 'boolean', default: false } }, (v) => async (rt, line, address) => {
  const held = await pickCall(rt, line, str(v, 'call'), ['held'], 'held');
  if (!v.swap) return control(rt, line, address, { op: 'retrieve', callId: held.callId });
  const active = await pickCall(rt, line, undefined, ['connected', 'initiated'], 'connected');
  return control(rt, line, address, { op: 'alternate', heldCallId: held.callId, activeCallId: active.callId });
});

const transfer = verb(
  'transfer',
  'transfer: --to N blind (a ringing call is redirected), --consult --to N to set it up, --complete to join held and connected call',
  '(--to N [--consult] | --complete) [--call ID]',
  { to: { type: 'string' }, consult: { type: 'boolean', default: false }, complete: { type: 'boolean', default: false }, call: { type: 'string' } },
  (v) => {
    const to = str(v, 'to');
    if (v.complete === !!to) throw new UsageError('give either --to N or --complete');
    if (v.complete) return async (rt, line, address) => {
      const held = await pickCall(rt, line, undefined, ['held'], 'held');
      const active = await pickCall(rt, line, str(v, 'call'), ['connected', 'initiated', 'alerting'], 'connected');
      return control(rt, line, address, { op: 'transfer', heldCallId: held.callId, activeCallId: active.callId });
    };
    return async (rt, line, address) => {
      const c = await pickCall(rt, line, str(v, 'call'), v.consult ? ['connected'] : ['connected', 'alerting'], v.consult ? 'connected' : 'connected or ringing');
      const op = v.consult ? 'consult' : c.state === 'alerting' ? 'redirect' : 'blindTransfer';
      return control(rt, line, address, { op, callId: c.callId, to: to! });
    };
  },
);

const conference = verb('conference', 'join the held and the connected call into a conference (create, or add to one); --remove drops a party', '[--remove NUMBER] [--call ID]', { remove: { type: 'string' }, call: { type: 'string' } }, (v) => {
  const party = str(v, 'remove');
  if (party) return async (rt, line, address) => control(rt, line, address, { op: 'removeParty', callId: (await pickCall(rt, line, str(v, 'call'), ['connected'], 'connected')).callId, party });
  return async (rt, line, address) => {
    const held = await pickCall(rt, line, undefined, ['held'], 'held');
    const active = await pickCall(rt, line, str(v, 'call'), ['connected'], 'connected');
    return control(rt, line, address, { op: 'conference', heldCallId: held.callId, activeCallId: active.callId });
  };
});

const forward = verb(
  'forward',
  'set forwarding on or off (unconditional, busy, no answer; all, internal or external callers); without --on/--off show it',
  '[--on --to N | --off] [--kind immediate|busy|noAnswer] [--callers all|internal|external]',
  { on: { type: 'boolean' }, off: { type: 'boolean' }, to: { type: 'string' }, kind: { type: 'string' }, callers: { type: 'string' } },
  (v) => {
    const on = onOff(v);
    const which = forwardingKey(v);
    if (on && !str(v, 'to')) throw new UsageError('--on needs --to N');
    const show = async (rt: InstanceRuntime, line: string) => {
      const f = await rt.readFeatures(line);
      const lines = f.forwarding.filter((x) => x.on).map((x) => `forwarding ${x.kind} (${x.callers} callers) to ${x.to ?? '?'}`);
      return { result: { forwarding: f.forwarding }, text: lines.join('\n') || 'no forwarding' };
    };
    if (on === undefined) return show;
    // After setting, what the PBX has (read back), not what was asked: a PBX may refuse part of it silently.
    // JSON keeps `forwarding` as the one setting (as scripts know it, now as the PBX has it) and adds `atPbx`, all of them.
    return async (rt, line) => {
      await rt.setForwarding(line, on, on ? str(v, 'to') : undefined, which);
      const shown = await show(rt, line);
      const atPbx = shown.result.forwarding;
      const forwarding = atPbx.find((f) => f.kind === which.kind && f.callers === which.callers) ?? { ...which, on: false, to: null };
      return { text: shown.text, result: { forwarding, atPbx, set: { ...which, on, to: on ? str(v, 'to')! : null } } };
    };
  },
  false,
);

const dnd = verb('dnd', 'switch do-not-disturb on or off; without --on/--off show it', '[--on | --off]', { on: { type: 'boolean' }, off: { type: 'boolean' } }, (v) => {
  const on = onOff(v);
  const show = async (rt: InstanceRuntime, line: string) => {
    const f = await rt.readFeatures(line);
    return { result: { doNotDisturb: f.doNotDisturb }, text: `do-not-disturb ${f.doNotDisturb ? 'on' : 'off'}` };
  };
  if (on === undefined) return show;
  return async (rt, line) => {
    await rt.setDoNotDisturb(line, on);
    const shown = await show(rt, line);
    return { ...shown, result: { ...shown.result, set: { doNotDisturb: on } } };
  };
}, false);

const remoteOfficeText = (r: RemoteOffice) => `remote-office ${r.active ? 'on' : 'off'}${r.number ? ` (${r.number})` : ''}`;

const remoteOffice = verb(
  'remote-office',
  'switch Remote Office on (calls ring at NUMBER) or off, and show it as read back from the platform; without --on/--off show it (BroadWorks)',
  '[--on NUMBER | --off]',
  { on: { type: 'string' }, off: { type: 'boolean' } },
  (v) => {
    const number = str(v, 'on');
    if (number !== undefined && v.off) throw new UsageError('--on and --off exclude each other');
    if (number !== undefined && !number.trim()) throw new UsageError('--on needs the number calls are to ring at');
    if (number === undefined && !v.off) return async (rt, line) => {
      const r = await rt.readRemoteOffice(line);
      return { result: { remoteOffice: r }, text: remoteOfficeText(r) };
    };
    return async (rt, line) => {
      const r = await rt.setRemoteOffice(line, number !== undefined, number?.trim());
      return { result: { remoteOffice: r }, text: remoteOfficeText(r) };
    };
  },
  false,
);

export const lineCommand: Command = group('line', 'call control on one line of an instance (starts its driver for the one operation)', [call, answer, hangup, hold, retrieve, transfer, conference, forward, dnd, remoteOffice]);
