import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { instancesEvents, instancesMethods } from './instances';
import { configEvents, configMethods } from './config';
import { rulesEvents, rulesMethods } from './rules';
import { linesIoMethods } from './lines-io';
import { licencesMethods } from './licences';
import { driversEvents, driversMethods } from './drivers';
import { demoEvents, demoMethods } from './demo';
import { profilesMethods } from './profiles';
import { muxEvents, muxMethods } from './mux';
import { servicesMethods } from './services';
import { uacstaEvents, uacstaMethods } from './uacsta';
import { networkMethods } from './network';
import { pbxConfigMethods } from './pbx-config';
import type { EventDef, MethodDef } from './define';

/**
 * Every method and event of the API, composed from one module per domain.
 * Add a domain by spreading its `…Methods` and `…Events` here; main must then supply its handlers (a compile error otherwise).
 */
export const methods = {
  ...appMethods,
  ...instancesMethods,
  ...configMethods,
  ...rulesMethods,
  ...linesIoMethods,
  ...licencesMethods,
  ...driversMethods,
  ...demoMethods,
  ...profilesMethods,
  ...muxMethods,
  ...servicesMethods,
  ...uacstaMethods,
  ...networkMethods,
  ...pbxConfigMethods,
} satisfies Record<string, MethodDef>;

export const events = {
  ...appEvents,
  ...instancesEvents,
  ...configEvents,
  ...rulesEvents,
  ...driversEvents,
  ...demoEvents,
  ...muxEvents,
  ...uacstaEvents,
} satisfies Record<string, EventDef>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;

/** What a caller passes (defaults may be omitted). */
export type Input<K extends MethodName> = z.input<Methods[K]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedInput<K extends MethodName> = z.output<Methods[K]['input']>;
export type Output<K extends MethodName> = NonNullable<Methods[K]['__output']>;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['__payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
