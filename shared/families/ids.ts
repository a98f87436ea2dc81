// The ids of the families the product ships, in the order the console lists them. The specs are in this folder
// (one file each); main's driver registry (main/drivers/registry.ts) adds what behaves.
export const FAMILIES = ['panasonic', 'cme', 'broadworks', 'sip-phones'] as const;
export type Family = (typeof FAMILIES)[number];
