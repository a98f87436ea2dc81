import type { StatusStepCode } from '../../../shared/api/drivers';

export interface StatusStep {
  code: StatusStepCode;
  params: Record<string, string | number>;
  /** The English sentence for logs, the CLI and older clients; the console translates by code. */
  text: string;
}

type P = Record<string, string | number>;

const TEXT: Record<StatusStepCode, (p: P) => string> = {
  stopped: () => 'stopped',
  connecting: (p) => `connecting (attempt ${p.attempt})`,
  loggingIn: (p) => `logging in to ${p.host}:${p.port}`,
  startingMonitors: (p) => `starting ${p.count} monitors`,
  open: (p) => `${p.open} of ${p.total} lines open${p.retrying ? `, ${p.retrying} retrying` : ''}${p.noLicence ? `, ${p.noLicence} without licence` : ''}`,
  lost: (p) => String(p.message),
  waiting: (p) => `waiting ${p.seconds} s before reconnecting`,
  passwordNeeded: () => 'the password was rejected after it had worked: set the new password to reconnect',
};

/** One step of a running instance's connection, as a code with its values and the English sentence. */
export function statusStep(code: StatusStepCode, params: P = {}): StatusStep {
  return { code, params, text: TEXT[code](params) };
}
