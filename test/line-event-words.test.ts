import { describe, expect, it } from 'vitest';
import { LINE_STATES } from '../shared/api/drivers';
import { en } from '../renderer/src/i18n/en';
import { de } from '../renderer/src/i18n/de';

// The events the drivers report (CSTA call and feature events, the BroadWorks mapping, the runtime's own).
const EVENTS = ['delivered', 'offered', 'established', 'connectionCleared', 'callCleared', 'snapshotCleared', 'snapshotFound', 'held', 'retrieved', 'originated', 'serviceInitiated', 'networkReached', 'failed', 'diverted', 'transferred', 'conferenced', 'queued', 'digitsDialed', 'updated', 'doNotDisturb', 'forwarding', 'outOfService', 'backInService'];

describe('the line monitor says what happened in words', () => {
  it('every call and feature event has a word in English and German', () => {
    for (const e of EVENTS) {
      expect(en.monitor.events[e as keyof typeof en.monitor.events], `en ${e}`).toBeTruthy();
      expect(de.monitor.events[e as keyof typeof de.monitor.events], `de ${e}`).toBeTruthy();
    }
    expect(de.monitor.events.delivered).toBe('Gespräch klingelt');
    expect(de.monitor.causes.newCall).toBe('neues Gespräch');
  });
  it('every state a line can change to has a word, as `line.<state>` events', () => {
    for (const s of LINE_STATES) {
      expect(en.monitor.events.line[s], `en ${s}`).toBeTruthy();
      expect(de.monitor.events.line[s], `de ${s}`).toBeTruthy();
    }
  });
});
