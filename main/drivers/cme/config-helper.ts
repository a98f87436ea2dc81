// The manual's configuration helpers (§2.5, §2.6): the IOS commands that enable the XML API (shown to copy: they
// cannot travel over the XML API they enable) and the CSTA configuration (session server, CTI per ephone-dn,
// optional authenticate register), which an xml user of level 15 can apply through ISexecCLI.
import { child, text, type CmeXmlClient } from '../../protocols/cme-xml';

/** `enable` / `configure terminal` around configuration lines, for pasting into a console session. */
export function forConsole(lines: string[]): string {
  return ['enable', 'configure terminal', ...lines, 'end'].join('\n') + '\n';
}

/** The XML API: HTTP(S) server, IXI transport and application, the xml user with privilege 15. */
export function xmlApiCommands(o: { https: boolean; user: string; password: string }): string[] {
  return [
    o.https ? 'ip http secure-server' : 'ip http server',
    'ixi transport http',
    ' no shutdown',
    ' response size 64',
    ' request outstanding 3',
    ' exit',
    'ixi application cme',
    ' no shutdown',
    ' exit',
    'telephony-service',
    ` xml user ${o.user} password ${o.password} 15`,
    ' exit',
  ];
}

export interface CstaConfig {
  /** The `voice register session-server` tag (the manual uses 2). */
  sessionServer: number;
  registerId: string;
  /** Seconds, 60-3600 (the manual uses 600). */
  keepalive: number;
  /** The ephone-dn tags to watch and notify. */
  extensionIds: number[];
  authenticateRegister: boolean;
}

/** The CSTA configuration lines of the manual, for ISexecCLI (configuration mode). */
export function cstaCommands(c: CstaConfig): string[] {
  return [
    'voice service voip',
    ' allow-connections sip to sip',
    ' no cti shutdown',
    ' gcid',
    ' no cti csta mode basic',
    ' sip',
    '  registrar server expires max 1800 min 60',
    '  exit',
    ' exit',
    'voice register global',
    ' mode cme',
    ...(c.authenticateRegister ? [' authenticate register'] : []),
    ' exit',
    `voice register session-server ${c.sessionServer}`,
    ' cti-aware',
    ` register-id ${c.registerId}`,
    ` keepalive ${c.keepalive}`,
    ' exit',
    ...c.extensionIds.flatMap((id) => [`ephone-dn ${id}`, ' cti watch', ' cti notify', ' exit']),
  ];
}

export type ApplyResult = { ok: true } | { ok: false; line: number; command: string; error: string };

/**
 * Sends the lines in one ISexecCLI. The CME runs them in order and stops at the first it cannot run: lines before
 * it stay applied (Cisco's contract), so the result names that line.
 */
export async function applyCommands(client: CmeXmlClient, lines: string[]): Promise<ApplyResult> {
  const answer = await client.request('ISexecCLI', lines.map((l) => ['CLI', l.trim()]));
  const failed = Number(text(answer, 'ISexecCLIResponse') || text(child(answer, 'ISexecCLIResponse'), '#text'));
  if (failed === 0) return { ok: true };
  return { ok: false, line: failed, command: lines[failed - 1]?.trim() ?? '', error: text(answer, 'ISexecCLIError').trim() };
}
