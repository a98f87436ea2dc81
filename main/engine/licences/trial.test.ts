import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { evaluateTrial, newTrial } from './trial';

const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-01T08:00:00Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);
const key = randomBytes(32);

describe('the trial', () => {
  it('gives 25 lines for 45 days from the first start and counts the days left', () => {
    const r = newTrial(start, key);
    expect(evaluateTrial(r, start, key).status).toMatchObject({ active: true, lines: 25, daysLeft: 45, endsAt: '2026-02-15T08:00:00.000Z' });
    expect(evaluateTrial(r, at(10.5), key).status).toMatchObject({ active: true, daysLeft: 35 });
    expect(evaluateTrial(r, at(44.9), key).status).toMatchObject({ active: true, daysLeft: 1 });
    expect(evaluateTrial(r, at(45), key).status).toMatchObject({ active: false, lines: 0, daysLeft: 0 });
  });

  it('turning the clock back does not give days back', () => {
    let r = newTrial(start, key);
    r = evaluateTrial(r, at(30), key).record;
    const back = evaluateTrial(r, at(2), key).status;
    expect(back).toMatchObject({ daysLeft: 15, clockSetBack: true });
    r = evaluateTrial(r, at(2), key).record;
    expect(evaluateTrial(r, at(46), key).status.active).toBe(false);
  });

  it('a clock set back after the trial ended does not revive it', () => {
    const r = evaluateTrial(newTrial(start, key), at(50), key).record;
    expect(evaluateTrial(r, at(1), key).status).toMatchObject({ active: false, daysLeft: 0 });
  });

  it('a hand-edited start date ends the trial instead of extending it', () => {
    const r = { ...newTrial(start, key), firstStart: at(40).toISOString() };
    expect(evaluateTrial(r, at(41), key).status).toMatchObject({ active: false, tampered: true });
  });

  it('a record sealed with another installation\'s key is not this trial', () => {
    const r = newTrial(start, randomBytes(32));
    expect(evaluateTrial(r, at(1), key).status).toMatchObject({ active: false, tampered: true });
  });
});
