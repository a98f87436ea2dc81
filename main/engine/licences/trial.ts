import { createHmac, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import type { TrialView } from '../../../shared/api/licences';

export const TRIAL_DAYS = 45;
export const TRIAL_LINES = 25;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock corrections (NTP, time zone mistakes) smaller than this are not reported as setting the clock back. */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

/** What is stored: the first start, the latest time ever seen, and a seal against casual editing. */
export interface TrialRecord {
  firstStart: string;
  lastSeen: string;
  seal: string;
}

export type TrialStatus = TrialView;

/**
 * Not a secret (an offline trial can always be reset by deleting its state); it only makes a hand-edited date
 * fail instead of silently extending the trial, and binds the record to this PC's name.
 */
function sealOf(firstStart: string, lastSeen: string): string {
  return createHmac('sha256', `linekeeper-trial/${hostname()}`).update(`${firstStart}|${lastSeen}`).digest('base64url');
}

export function newTrial(now: Date): TrialRecord {
  const t = now.toISOString();
  return { firstStart: t, lastSeen: t, seal: sealOf(t, t) };
}

function sealOk(r: TrialRecord): boolean {
  const a = Buffer.from(r.seal);
  const b = Buffer.from(sealOf(r.firstStart, r.lastSeen));
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The trial's state at `now`, and the record to store. Time only moves forward: the days used count up to
 * the later of `now` and the latest time seen, so turning the clock back gives no days back.
 */
export function evaluateTrial(record: TrialRecord, now: Date): { status: TrialStatus; record: TrialRecord } {
  const first = Date.parse(record.firstStart);
  const seen = Date.parse(record.lastSeen);
  const tampered = !sealOk(record) || Number.isNaN(first) || Number.isNaN(seen) || seen < first;
  const endsAt = new Date((Number.isNaN(first) ? 0 : first) + TRIAL_DAYS * DAY_MS).toISOString();
  if (tampered) {
    return { status: { active: false, lines: 0, daysLeft: 0, startedAt: record.firstStart, endsAt, clockSetBack: false, tampered: true }, record };
  }
  const latest = Math.max(now.getTime(), seen);
  const used = latest - first;
  const active = used < TRIAL_DAYS * DAY_MS;
  const daysLeft = active ? Math.ceil((TRIAL_DAYS * DAY_MS - used) / DAY_MS) : 0;
  const clockSetBack = now.getTime() < seen - CLOCK_SLACK_MS;
  const next = latest > seen ? { firstStart: record.firstStart, lastSeen: new Date(latest).toISOString(), seal: sealOf(record.firstStart, new Date(latest).toISOString()) } : record;
  return {
    status: { active, lines: active ? TRIAL_LINES : 0, daysLeft, startedAt: record.firstStart, endsAt, clockSetBack, tampered: false },
    record: next,
  };
}
