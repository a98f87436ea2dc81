import { describe, expect, it } from 'vitest';
import { evaluateTrial, newTrial } from './trial';

const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-01T08:00:00Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);

describe('the trial', () => {
  it('gives 25 lines for 45 days from the first start and counts the days left', () => {
    const r = newTrial(start);
    expect(evaluateTrial(r, start).status).toMatchObject({ active: true, lines: 25, daysLeft: 45, endsAt: '2026-02-15T08:00:00.000Z' });
    expect(evaluateTrial(r, at(10.5)).status).toMatchObject({ active: true, daysLeft: 35 });
    expect(evaluateTrial(r, at(44.9)).status).toMatchObject({ active: true, daysLeft: 1 });
    expect(evaluateTrial(r, at(45)).status).toMatchObject({ active: false, lines: 0, daysLeft: 0 });
  });

  it('turning the clock back does not give days back', () => {
    let r = newTrial(start);
    r = evaluateTrial(r, at(30)).record;
    const back = evaluateTrial(r, at(2)).status;
    expect(back).toMatchObject({ daysLeft: 15, clockSetBack: true });
    r = evaluateTrial(r, at(2)).record;
    expect(evaluateTrial(r, at(46)).status.active).toBe(false);
  });

  it('a clock set back after the trial ended does not revive it', () => {
    const r = evaluateTrial(newTrial(start), at(50)).record;
    expect(evaluateTrial(r, at(1)).status).toMatchObject({ active: false, daysLeft: 0 });
  });

  it('a hand-edited start date ends the trial instead of extending it', () => {
    const r = { ...newTrial(start), firstStart: at(40).toISOString() };
    expect(evaluateTrial(r, at(41)).status).toMatchObject({ active: false, tampered: true });
  });
});
