import { z } from 'zod';

/** One line (extension) of a driver instance. Family-specific fields are optional. */
export const lineSchema = z.object({
  /** Internal number (extension) as the PBX knows it. */
  number: z.string(),
  name: z.string().default(''),
  /** CME: the phone's device ID (MAC address, `SEP` + 12 hex digits or plain hex); empty for extension mobility users. */
  deviceId: z.string().optional(),
  /** CME: additional line buttons (numbers). */
  buttons: z.array(z.string()).optional(),
  /** Panasonic: the Super-Twin mobile address (DECT twin of a desk phone). */
  mobile: z.string().optional(),
  /** BroadWorks: the user ID. */
  userId: z.string().optional(),
});
export type Line = z.output<typeof lineSchema>;

/**
 * A line as a driver addresses it: `key` is the line's identity within its instance (the family decides: the
 * number, number + device ID for CME shared lines, user ID for BroadWorks), the rest what the PBX needs to find it.
 */
export interface LineRef {
  key: string;
  number: string;
  deviceId?: string;
  userId?: string;
}

export { FAMILIES, type Family } from '../families/ids';
