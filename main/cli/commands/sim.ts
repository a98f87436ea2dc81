import { group, type Command } from '../command';
import { DRIVER_REGISTRY } from '../../drivers/registry';

/** `linekeeper sim <family>`: one verb per family that has a simulator. */
export const simCommand: Command = group(
  'sim',
  'run a simulated PBX for tests and demos',
  Object.values(DRIVER_REGISTRY).flatMap((f) => (f.simCommand ? [f.simCommand] : [])),
);
