import { z } from 'zod';
import { event, method } from './define';
import type { InstanceDetails } from './instances';

export interface DemoInfo {
  running: boolean;
  host: string;
  port: number;
  controlUrl: string;
  /** The driver instance that points at the demo PBX. */
  instanceId: string;
  devices: number;
}

const extension = z.string().trim().regex(/^\+?[0-9*#]{1,32}$/, 'a phone number of digits');

export const demoMethods = {
  /** Starts the built-in demo PBX (a Panasonic simulator on loopback) and the "Demo PBX" instance pointing at it. */
  'demo.start': method<DemoInfo>()(z.object({}).strict()),
  /** Starts the demo PBX if needed and returns a new unsaved instance pointing at it (see `instances.create` pending). */
  'demo.newInstance': method<InstanceDetails>()(z.object({}).strict()),
  'demo.status': method<DemoInfo | { running: false }>()(z.object({}).strict()),
  'demo.stop': method<{ running: false }>()(z.object({}).strict()),
  /** Places a call on the demo PBX, so live events can be watched without a telephone. */
  'demo.placeCall': method<{ callId: string }>()(z.object({ from: extension, to: extension }).strict()),
};

export const demoEvents = {
  'demo.changed': event<DemoInfo | { running: false }>(),
};
