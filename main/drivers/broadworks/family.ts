// The BroadWorks family in the registry: its simulator for `linekeeper sim broadworks`.
import { FAMILY_SPECS } from '../../../shared/families';
import { broadworksSimCommand } from '../../sim/broadworks/cli';
import type { FamilyDriver } from '../family';

const spec = FAMILY_SPECS.broadworks;

export const broadworksFamily: FamilyDriver = {
  spec,
  simCommand: broadworksSimCommand,
};
