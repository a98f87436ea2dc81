// The simulator's loopback control API (JSON): read the model, register or unregister a phone, log an extension
// mobility user in, place calls and act as a phone's user (answer, hang up, lift the handset), set faults, and
// do what a CME does to its session server (forget its registration, clear its CTI sessions).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PeerLog } from '../../log/rate-limit';
import { BadRequest } from '../../web/http-guard';
import { answerControl } from '../shared/control-http';
import type { CmeSipService } from './sip';
import { setMobilityLogin } from './model';
import type { CmeXmlService } from './xml-api';

type Json = Record<string, unknown>;

/** A whole number 0-1000 for a counting fault. */
const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000;

async function answer(x: CmeXmlService, sip: CmeSipService | undefined, method: string, path: string, body: Json): Promise<unknown> {
  const l = x.layout;
  if (method === 'GET' && path === '/status') {
    return { phones: l.ephones.length, registered: l.ephones.filter((e) => e.registered).length, extensions: l.extensions.length, requests: x.requests, refusedLogins: x.refusedLogins, faults: x.faults };
  }
  if (method === 'GET' && path === '/ephones') return l.ephones.map((e) => ({ id: e.id, mac: e.mac, registered: e.registered, buttons: Object.fromEntries(e.buttons), user: e.user ?? null }));
  if (method === 'GET' && path === '/extensions') return l.extensions;
  const m = /^\/ephones\/(\d{1,5})$/.exec(path);
  if (method === 'POST' && m) {
    const e = l.ephones.find((p) => p.id === Number(m[1]));
    if (!e) throw new BadRequest(404, `no ephone ${m[1]}`);
    if (typeof body.registered !== 'boolean') throw new BadRequest(400, '"registered" must be true or false');
    if (sip) sip.setRegistered(e.id, body.registered);
    else e.registered = body.registered;
    return { id: e.id, registered: e.registered };
  }
  if (method === 'POST' && path === '/mobility') {
    const ephone = body.ephone;
    if (typeof body.user !== 'string' || !(ephone === null || (typeof ephone === 'number' && Number.isInteger(ephone)))) throw new BadRequest(400, '"user" must be a user ID and "ephone" an ephone ID, or null to log out');
    const error = setMobilityLogin(l, body.user, ephone);
    if (error) throw new BadRequest(404, error);
    sip?.refreshService();
    return { user: body.user, ephone };
  }
  if (method === 'POST' && path === '/calls') {
    if (!sip) throw new BadRequest(409, 'the simulator runs without its SIP side');
    const number = (k: string) => {
      const v = body[k];
      if (typeof v !== 'string' || !/^[0-9*#+]{1,32}$/.test(v)) throw new BadRequest(400, `"${k}" must be a number`);
      return v;
    };
    return { callId: sip.placeCall(number('from'), number('to')) };
  }
  const c = /^\/calls\/(\d{1,9})\/(answer|clear)$/.exec(path);
  if (method === 'POST' && (c || path === '/offhook')) {
    if (!sip) throw new BadRequest(409, 'the simulator runs without its SIP side');
    const device = typeof body.device === 'string' ? body.device : '';
    return sip.phoneAction(c ? (c[2] as 'answer' | 'clear') : 'offhook', device, c?.[1]);
  }
  if (method === 'GET' && path === '/calls') return sip?.calls.model.activeCalls() ?? [];
  if (method === 'GET' && path === '/sip') {
    return { registered: sip?.registered ?? false, sessions: sip?.sessions ?? 0, dialogs: sip?.openDialogs() ?? [], monitored: sip?.monitoredNumbers() ?? [], refreshes: sip?.refreshes ?? 0, expiresAsked: sip?.lastExpiresAsked ?? null, voice: x.options.voice };
  }
  if (method === 'POST' && (path === '/sip/drop-registration' || path === '/sip/end-dialogs')) {
    if (!sip) throw new BadRequest(409, 'the simulator runs without its SIP side');
    return path === '/sip/end-dialogs' ? { ended: await sip.endDialogs() } : await sip.dropRegistration();
  }
  if (method === 'POST' && path === '/faults') {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'allLimit' && typeof v === 'number' && Number.isInteger(v) && v >= 0) x.faults.allLimit = v;
      else if (k === 'isErrorCode' && typeof v === 'string' && /^\w{1,32}$/.test(v)) x.faults.isErrorCode = v;
      else if (k === 'serviceEvents' && typeof v === 'boolean' && sip) sip.serviceEvents = v;
      else if (k === 'refuseCli' && typeof v === 'string' && v.length <= 64) x.faults.refuseCli = v;
      else if ((k === 'refuseRegister' || k === 'refuseInvite') && count(v) && sip) sip.faults[k] = v;
      else if (k === 'ignoreInfo' && typeof v === 'boolean' && sip) sip.faults.ignoreInfo = v;
      else if (k === 'withhold' && Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === 'string' && /^\w{1,40}$/.test(x)) && sip) sip.faults.withhold = v as string[];
      else throw new BadRequest(400, `unknown fault or bad value "${k.slice(0, 32)}" (allLimit: whole number, isErrorCode: word, serviceEvents: true or false, refuseCli: text; with SIP: refuseRegister and refuseInvite: 0-1000, ignoreInfo: true or false, withhold: service names)`);
    }
    return { ...x.faults, serviceEvents: sip?.serviceEvents ?? false, ...sip?.faults };
  }
  throw new BadRequest(404, `no route ${method} ${path.slice(0, 100)}`);
}

export function handleControl(x: CmeXmlService, sip: CmeSipService | undefined, log: PeerLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerControl(req, res, log, (path, body) => answer(x, sip, req.method ?? '', path, body));
}
