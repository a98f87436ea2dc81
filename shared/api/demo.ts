import { z } from 'zod';
import { event, method } from './define';
import { FAMILIES, type Family } from '../model/instance';

export interface DemoInfo {
  running: boolean;
  /** The family of the demo system (Panasonic PBX, BroadWorks platform). */
  family: Family;
  host: string;
  port: number;
  controlUrl: string;
  /** The driver instance that points at the demo PBX. */
  instanceId: string;
  devices: number;
}

const extension = z.string().trim().regex(/^\+?[0-9*#]{1,32}$/, 'a phone number of digits');

/** Which demo system: a family that offers one; without it the default (the Panasonic demo PBX). */
const which = { family: z.enum(FAMILIES).optional() };

export const demoMethods = {
  /**
   * Starts a built-in demo system (a simulator on loopback: the Panasonic PBX, or the BroadWorks platform) and
   * its instance ("Demo PBX", "Demo BroadWorks") pointing at it.
   */
  'demo.start': method<DemoInfo>()(z.object(which).strict()),
  'demo.status': method<DemoInfo | { running: false }>()(z.object(which).strict()),
  /** Stops one demo system, or without a family every one. */
  'demo.stop': method<{ running: false }>()(z.object(which).strict()),
  /** Places a call on a demo system, so live events can be watched without a telephone. */
  'demo.placeCall': method<{ callId: string }>()(z.object({ from: extension, to: extension, ...which }).strict()),
};

export const demoEvents = {
  'demo.changed': event<DemoInfo | { running: false }>(),
};
