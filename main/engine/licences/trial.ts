import { createHmac, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import type { TrialView } from '../../../shared/api/licences';

export const TRIAL_DAYS = 45;
export const TRIAL_LINES = 25;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock corrections (NTP, time zone mistakes) smaller than this are not reported as setting the clock back. */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

/** What is stored: the first start, the latest time ever seen, and a seal over both. */
export interface TrialRecord {
  firstStart: string;
  lastSeen: string;
  seal: string;
  /** 2: sealed with this installation's secret key; absent: the old seal (migrated once, see trial-anchor.ts). */
  v?: 2;
}

export type TrialStatus = TrialView;

/** HMAC-SHA256 under the installation's secret trial key (kept in the secret store, never in the document). */
function sealOf(key: Buffer, firstStart: string, lastSeen: string): string {
  return createHmac('sha256', key).update(`linekeeper-trial/v2|${firstStart}|${lastSeen}`).digest('base64url');
}

/**
 * The seal of records written before the trial key existed: its key is the PC's name, which anyone can compute,
 * so it is accepted only once, to migrate such a record (trial-anchor.ts).
 */
export function legacySealOk(r: TrialRecord): boolean {
  return r.v === undefined && same(r.seal, createHmac('sha256', `linekeeper-trial/${hostname()}`).update(`${r.firstStart}|${r.lastSeen}`).digest('base64url'));
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sealTrial(key: Buffer, firstStart: string, lastSeen: string): TrialRecord {
  return { firstStart, lastSeen, seal: sealOf(key, firstStart, lastSeen), v: 2 };
}

export function newTrial(now: Date, key: Buffer): TrialRecord {
  const t = now.toISOString();
  return sealTrial(key, t, t);
}

export function trialSealOk(r: TrialRecord, key: Buffer): boolean {
  return r.v === 2 && same(r.seal, sealOf(key, r.firstStart, r.lastSeen));
}

/** The status of a trial whose record cannot be trusted: over, no lines. */
export function trialOver(record: TrialRecord): TrialStatus {
  const first = Date.parse(record.firstStart);
  const endsAt = new Date((Number.isNaN(first) ? 0 : first) + TRIAL_DAYS * DAY_MS).toISOString();
  return { active: false, lines: 0, daysLeft: 0, startedAt: record.firstStart, endsAt, clockSetBack: false, tampered: true, warnings: [] };
}

/**
 * The trial's state at `now`, and the record to store. Time only moves forward: the days used count up to
 * the later of `now` and the latest time seen, so turning the clock back gives no days back.
 */
export function evaluateTrial(record: TrialRecord, now: Date, key: Buffer): { status: TrialStatus; record: TrialRecord } {
  const first = Date.parse(record.firstStart);
  const seen = Date.parse(record.lastSeen);
  const tampered = !trialSealOk(record, key) || Number.isNaN(first) || Number.isNaN(seen) || seen < first;
  if (tampered) return { status: trialOver(record), record };
  const endsAt = new Date(first + TRIAL_DAYS * DAY_MS).toISOString();
  const latest = Math.max(now.getTime(), seen);
  const used = latest - first;
  const active = used < TRIAL_DAYS * DAY_MS;
  const daysLeft = active ? Math.ceil((TRIAL_DAYS * DAY_MS - used) / DAY_MS) : 0;
  const clockSetBack = now.getTime() < seen - CLOCK_SLACK_MS;
  const next = latest > seen ? sealTrial(key, record.firstStart, new Date(latest).toISOString()) : record;
  return {
    status: { active, lines: active ? TRIAL_LINES : 0, daysLeft, startedAt: record.firstStart, endsAt, clockSetBack, tampered: false, warnings: [] },
    record: next,
  };
}
