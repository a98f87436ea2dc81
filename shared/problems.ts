/**
 * Problems and warnings as they cross the API: a code, its facts, and the English sentence for logs and the
 * command line. The console words the code in the user's language (its translation key is the code) and never
 * reads the sentence. One catalogue here, as Node keeps its ERR_* codes in one place.
 */
export interface Coded {
  code: string;
  /** Facts the sentence needs; a fact may itself be a coded problem (a pattern error inside a rule problem). */
  params?: Record<string, string | number | Coded>;
  message: string;
}

type Params = Record<string, string | number | Coded>;
const text = (v: string | number | Coded | undefined): string => (typeof v === 'object' ? v.message : String(v ?? ''));

/** English for each code, from its params. */
const ENGLISH = {
  'warnings.defaultLogin': () => 'the multiplexer is used with its shipped login admin/admin: change the password on the multiplexer and here',
  'warnings.fallbackEscape': (p: Params) => `GetSwitchingFunctionDevices did not work (${text(p.detail)}); the Panasonic device list was asked for instead`,
  'warnings.sipPhoneSkipped': (p: Params) => `SIP phone ${text(p.device)} (${text(p.numbers)}) is skipped: only SCCP phones can be monitored`,
  'warnings.phoneWithoutLines': (p: Params) => `phone ${text(p.device)} has no line button and gives no line`,
  'warnings.mobilityNumberTaken': (p: Params) => `the user profile of ${text(p.user)} starts with ${text(p.number)}, which is already the line of ${text(p.first)}; it gives no line of its own`,
  'warnings.fallbackProbe': (p: Params) => `the Panasonic device list did not work (${text(p.detail)}); the extension ranges were probed with SnapshotDevice`,
  'location.notRange': (p: Params) => `"${text(p.value)}" at position ${text(p.position)}: expected an extension like 300 or a range like 100-199`,
  'location.tooManyDigits': (p: Params) => `"${text(p.value)}" at position ${text(p.position)}: extensions have at most ${text(p.max)} digits`,
  'location.backwards': (p: Params) => `"${text(p.value)}" at position ${text(p.position)}: the range runs backwards; write ${text(p.fix)}`,
  'location.overlaps': (p: Params) => `"${text(p.value)}" at position ${text(p.position)} overlaps "${text(p.other)}"`,
  'location.notLocation': (p: Params) => `location "${text(p.value)}" is not of the form country(area)number, e.g. 49(89)1234`,
  'sip.invalidPattern': (p: Params) => `SIP filter rule ${text(p.rule)}: invalid pattern "${text(p.pattern)}", ${text(p.detail)}; the rule is skipped`,
  'line.badNumber': (p: Params) => `"${text(p.value)}" is not a valid number (digits, * and #, optional leading +, at most 32)`,
  'line.nameLong': (p: Params) => `name is longer than ${text(p.max)} characters`,
  'line.nameBreaks': () => 'name must not contain line breaks',
  'line.controlCharacter': (p: Params) => `name holds the control character ${text(p.character)}, which no line field may contain`,
  'line.deviceIdCme': () => 'device IDs exist only on CME lines',
  'line.badMac': (p: Params) => `"${text(p.value)}" is not a MAC address (12 hex digits, optionally after SEP)`,
  'line.buttonsCme': () => 'additional line buttons exist only on CME lines',
  'line.badButton': (p: Params) => `line button "${text(p.value)}" is not a valid number`,
  'line.mobilePanasonic': () => 'a Super-Twin mobile address exists only on Panasonic lines',
  'line.badMobile': (p: Params) => `mobile address "${text(p.value)}" is not a valid number`,
  'line.userIdBroadworks': () => 'user IDs exist only on BroadWorks lines',
  'line.badUserId': (p: Params) => `user ID "${text(p.value)}" must be 1-128 characters without spaces`,
  'line.repeated': (p: Params) => `number ${text(p.value)} is already line ${text(p.first)}`,
  'line.repeatedOnDevice': (p: Params) => `number ${text(p.value)} on device ${text(p.device)} is already line ${text(p.first)}`,
  'line.deviceUsed': (p: Params) => `device ${text(p.device)} is already used by line ${text(p.first)}`,
  'line.appearsAgain': (p: Params) => `number ${text(p.value)} appears again (first on line ${text(p.first)})`,
  'line.inInstance': (p: Params) => `number ${text(p.value)} is already line ${text(p.first)} of the instance`,
  'line.inInstanceOnDevice': (p: Params) => `number ${text(p.value)} on device ${text(p.device)} is already line ${text(p.first)} of the instance`,
  'line.deviceInInstance': (p: Params) => `device ${text(p.device)} is already used by line ${text(p.first)} of the instance`,
  'line.manyDevices': (p: Params) => `number ${text(p.value)} is on ${text(p.count)} devices; give the device ID to say which line this row is`,
  'validation.providerUnknown': (p: Params) => `provider must be one of ${text(p.known)}`,
  'profiles.noHeader': (p: Params) => `the file holds no profiles: it needs the header line "${text(p.header)}" and one profile per line`,
  'profiles.header': (p: Params) => `line ${text(p.line)}: expected the header "${text(p.header)}", found "${text(p.value)}"`,
  'profiles.openQuote': (p: Params) => `line ${text(p.line)}: a quoted field is never closed (missing ")`,
  'profiles.cells': (p: Params) => `line ${text(p.line)}: ${text(p.cells)} fields, but a profile has ${text(p.columns)}`,
  'profiles.badId': (p: Params) => `line ${text(p.line)}: profile ID "${text(p.value)}" must be 1-40 lower-case letters, digits, . _ - (not "custom")`,
  'profiles.badLabel': (p: Params) => `line ${text(p.line)}: the profile's name must be 1-80 characters`,
  'profiles.badHost': (p: Params) => `line ${text(p.line)}: "${text(p.value)}" is not a host name or IP address`,
  'profiles.badType': (p: Params) => `line ${text(p.line)}: connection type "${text(p.value)}" must be one of ${text(p.known)}`,
  'profiles.badPort': (p: Params) => `line ${text(p.line)}: port "${text(p.value)}" must be 1-65535 (empty: the connection type's default)`,
  'profiles.badPrefix': (p: Params) => `line ${text(p.line)}: URL prefix "${text(p.value)}" may contain letters, digits and . _ ~ - / only`,
  'profiles.repeated': (p: Params) => `line ${text(p.line)}: profile ID "${text(p.value)}" is already on line ${text(p.first)}`,
  'profiles.builtIn': (p: Params) => `line ${text(p.line)}: "${text(p.value)}" is a built-in profile with other settings; give the profile an ID of its own`,
  'import.noLines': () => 'the file holds no lines',
  'import.openQuote': () => 'a quoted field is never closed (missing ")',
  'import.afterQuote': (p: Params) => `unexpected text after a closing quote: ${text(p.value)}`,
  'import.strayQuote': (p: Params) => `a quote inside an unquoted field: ${text(p.value)}`,
  'import.noHeader': () => 'the file is empty: a CSV import needs a header row naming its columns, e.g. "number,name"',
  'import.repeatedColumn': (p: Params) => `column "${text(p.value)}" repeats the ${text(p.field)} column`,
  'import.unknownColumn': (p: Params) => `column ${text(p.column)} "${text(p.value)}" is not a line field and is ignored (known: ${text(p.known)})`,
  'import.noNumberColumn': (p: Params) => `the header has no number column (found: ${text(p.value)})`,
  'import.cellCount': (p: Params) => `the row has ${text(p.cells)} cells but the header has ${text(p.columns)} columns`,
  'pattern.groupOpen': () => 'the group opened here is never closed',
  'pattern.closesNone': () => 'this ")" closes no group',
  'pattern.emptyRepeat': (p: Params) => `"${text(p.op)}" repeats something that can match nothing`,
  'pattern.nested': (p: Params) => `"${text(p.char)}" directly follows "${text(p.op)}"; lazy or possessive repeats do not exist here`,
  'pattern.tooManyGroups': (p: Params) => `at most ${text(p.max)} groups are allowed`,
  'pattern.nothingBefore': (p: Params) => `"${text(p.char)}" has nothing before it to repeat`,
  'pattern.trailing': () => 'the pattern ends with a lone backslash',
  'pattern.rangeBackwards': (p: Params) => `"${text(p.range)}" runs backwards`,
  'pattern.bracketOpen': () => 'the "[" opened here is never closed',
  'pattern.hintBackslash': (p: Params) => `a literal "${text(p.char)}" needs a backslash: ${text(p.fix)}`,
  'pattern.hintInstead': (p: Params) => `a literal "${text(p.char)}" needs a backslash: write ${text(p.fix)} instead of ${text(p.wrong)}`,
  'pattern.hintWrite': (p: Params) => `write ${text(p.fix)}`,
  'validation.hostEmpty': () => 'host must not be empty',
  'validation.nameEmpty': () => 'name must not be empty',
  'validation.tlsMux': () => 'TLS is only available through the CSTA multiplexer',
  'validation.proxyCti': () => 'an HTTP proxy cannot be used with the CTI connection',
  'uacsta.dialogFailed': (p: Params) => `phone ${text(p.mac)} is registered but its CSTA dialog could not be opened (${text(p.cause)}); it is tried again`,
  'uacsta.identitiesFailed': (p: Params) => `phone ${text(p.mac)} did not report its identities (${text(p.cause)}); it is tried again`,
  'uacsta.dialogLost': (p: Params) => `the CSTA dialog to phone ${text(p.mac)} ended (${text(p.cause)}); it is re-opened while the phone stays registered`,
  'uacsta.noLicence': (p: Params) => `phone ${text(p.mac)} is registered but has no licence (${text(p.cause)}); it is tried again`,
  'uacsta.stopToChange': (p: Params) => `connection settings change only while the uaCSTA server is stopped (${text(p.settings)}); stop it first`,
  'uacsta.certificateMissing': () => 'a TLS port is set but no certificate is given',
  'uacsta.certificateUnreadable': (p: Params) => `the TLS certificate cannot be read (${text(p.cause)})`,
  'uacsta.certificateKeyMismatch': (p: Params) => `the private key does not belong to the TLS certificate (${text(p.subject)})`,
  'uacsta.certificateNotYetValid': (p: Params) => `the TLS certificate is valid only from ${text(p.validFrom)}`,
  'uacsta.certificateExpired': (p: Params) => `the TLS certificate expired on ${text(p.validTo)}`,
  'uacsta.certificateWrongName': (p: Params) => `the TLS certificate is not issued to this computer's name ${text(p.computerName)} (it is for ${text(p.subject)})`,
  'uacsta.noPhonePassword': () => 'no phone password is set',
  'uacsta.listenFailed': (p: Params) => `the ${text(p.interface)} interface cannot listen on ${text(p.host)}:${text(p.port)} (${text(p.cause)})`,
  'uacsta.startFailed': (p: Params) => `the uaCSTA server did not start (${text(p.cause)})`,
  'uacsta.unknownPhone': (p: Params) => `no phone with the MAC address ${text(p.mac)} has registered`,
  'uacstaServer.notConfigured': (p: Params) => `the server has no ${text(p.missing)} yet: finish the first configuration`,
  'uacstaServer.phoneListUnreadable': (p: Params) => `the stored phone list cannot be read: ${text(p.cause)}`,
  'uacstaServer.portInUse': (p: Params) => `port ${text(p.port)} on ${text(p.bind)} is used by another program`,
  'uacstaServer.logDirectoryInvalid': (p: Params) => `the log file directory ${text(p.directory)} cannot be used (${text(p.cause)}): give an absolute folder the server may write to`,
  'uacstaProvisioning.unreachable': (p: Params) => `the phone at ${text(p.address)} cannot be reached (${text(p.cause)})`,
  'uacstaProvisioning.loginRefused': (p: Params) => `the phone at ${text(p.address)} refused the web login: check the web user and password in the options`,
  'uacstaProvisioning.notAPhone': (p: Params) => `${text(p.address)} answers, but not as a snom or Yealink phone's web interface`,
  'uacstaProvisioning.refused': (p: Params) => `the phone at ${text(p.address)} did not take the settings (${text(p.detail)})`,
  'uacstaProvisioning.noTlsPort': () => 'the options ask for TLS, but the phone connection has no TLS port',
  // Log entries the console shows: the instance by name, a failure by its code (`failure`) with main's detail.
  'log.settingsChanged': (p: Params) => `${text(p.instance)}: connection settings changed, reconnecting`,
  'log.connected': (p: Params) => `${text(p.instance)}: ${text(p.reply)}`,
  'log.linkLost': (p: Params) => `${text(p.instance)}: ${text(p.detail)}`,
  'log.passwordNeeded': (p: Params) => `${text(p.instance)}: ${text(p.detail)}; waiting for a new password`,
  'log.retrying': (p: Params) => `${text(p.instance)}: ${text(p.detail)}; next attempt in ${text(p.ms)} ms`,
  'log.mobileFound': (p: Params) => `${text(p.instance)}: line ${text(p.line)} has the Super-Twin handset ${text(p.mobile)} (its "Mobile" address)`,
  'log.mobileNotStored': (p: Params) => `${text(p.instance)}: could not store the Mobile address of ${text(p.line)}: ${text(p.detail)}`,
  'log.settingsNotTaken': (p: Params) => `${text(p.instance)}: could not take up the changed settings: ${text(p.detail)}`,
  'log.linesNotTaken': (p: Params) => `${text(p.instance)}: could not take up the changed lines: ${text(p.detail)}`,

  // Log entries of the CSTA multiplexer (main/servers/mux).
  // (logMux.*)

  // Log entries of the uaCSTA server, its provisioning and the SIP/CSTA protocol layers.
  // (logServers.*)
  'logServers.sipParserFailed': (p: Params) => `SIP parser failed on connection ${text(p.connection)} from ${text(p.peer)}: ${text(p.detail)}`,
  'logServers.sipUnreadable': (p: Params) => text(p.detail),
  'logServers.sipHandlerFailed': (p: Params) => `a SIP message handler failed on connection ${text(p.connection)} from ${text(p.peer)}: ${text(p.detail)}`,
  'logServers.sipTlsHandshakeFailed': (p: Params) => `SIP TLS handshake with ${text(p.peer)} failed: ${text(p.detail)}`,
  'logServers.sipListenerError': (p: Params) => `the SIP listener on ${text(p.address)} failed: ${text(p.detail)}`,
  'logServers.sipStrayResponse': (p: Params) => `SIP response ${text(p.status)} without a transaction`,
  'logServers.cstaXmlUnreadable': (p: Params) => `unreadable CSTA XML from ${text(p.peer)} (${text(p.failure)}): ${text(p.detail)}`,
  'logServers.cstaXmlStrayResponse': (p: Params) => `CSTA response from ${text(p.peer)} nobody waits for: ${text(p.what)}`,
  'logServers.cstaXmlHandlerFailed': (p: Params) => `the CSTA request handler for ${text(p.service)} from ${text(p.peer)} failed: ${text(p.detail)}`,
  'logServers.cstaLinkFailed': (p: Params) => text(p.detail),
  'logServers.cstaLinkLost': (p: Params) => text(p.detail),
  'logServers.cstaListenerFailed': (p: Params) => `a CSTA listener threw: ${text(p.detail)}`,
  'logServers.cstaUndecodable': (p: Params) => `undecodable APDU from ${text(p.address)}: ${text(p.detail)}`,
  'logServers.cstaAssociated': (p: Params) => `CSTA association with ${text(p.address)} established`,
  'logServers.cstaApduRejected': (p: Params) => `${text(p.address)} rejected an APDU: ${text(p.problem)}`,
  'logServers.phoneHandlerFailed': (p: Params) => `uaCSTA phone interface: ${text(p.what)} failed: ${text(p.detail)}`,
  'logServers.clientHandlerFailed': (p: Params) => `uaCSTA client interface: ${text(p.what)} failed: ${text(p.detail)}`,
  'logServers.serverStarted': (p: Params) => `uaCSTA server started: ${text(p.detail)}`,
  'logServers.serverStartedWithClients': (p: Params) => `uaCSTA server started: ${text(p.detail)}`,
  'logServers.serverNotStarted': (p: Params) => `the uaCSTA server did not start: ${text(p.reason)}`,
  'logServers.serverStopped': () => 'uaCSTA server stopped',
  'logServers.phoneListNotSaved': (p: Params) => `the phone list could not be saved to ${text(p.file)}: ${text(p.detail)}`,
  'logServers.oldLogsNotDeleted': (p: Params) => `old log files in ${text(p.directory)} could not be deleted: ${text(p.detail)}`,
  'logServers.phoneRegistered': (p: Params) => `phone ${text(p.mac)} registered from ${text(p.address)} (${text(p.type)})`,
  'logServers.phoneControllable': (p: Params) => `phone ${text(p.mac)} is controllable (CSTA dialog open, identities ${text(p.identities)})`,
  'logServers.phoneUnregistered': (p: Params) => `phone ${text(p.mac)}: registration removed (unregistered)`,
  'logServers.phoneRegistrationExpired': (p: Params) => `phone ${text(p.mac)}: registration removed (expired)`,
  'logServers.phoneConnectionClosed': (p: Params) => `phone ${text(p.mac)}: registration removed (connection-closed)`,
  'logServers.serviceRefused': (p: Params) => `refused ${text(p.service)} for phone ${text(p.mac)}: ${text(p.detail)}`,
  'logServers.monitorRefused': (p: Params) => `phone ${text(p.mac)} refused the monitor on ${text(p.device)}: ${text(p.failure)}`,
  'logServers.eventNotSent': (p: Params) => `a ${text(p.event)} event to the client ${text(p.client)} failed: ${text(p.detail)}`,
  'logServers.clientConnected': (p: Params) => `CSTA client ${text(p.client)} connected as ${text(p.user)}`,
  'logServers.clientLeft': (p: Params) => `CSTA client ${text(p.client)} left`,
  'logServers.provisioned': (p: Params) => `provisioning: phone ${text(p.mac)} at ${text(p.address)} done`,
  'logServers.provisionedRestarted': (p: Params) => `provisioning: phone ${text(p.mac)} at ${text(p.address)} done, restarted`,
  'logServers.provisioningFailed': (p: Params) => `provisioning: ${text(p.reason)}`,
  'logServers.pnpDatagramIgnored': (p: Params) => `plug and play: a datagram from ${text(p.peer)} was ignored: ${text(p.detail)}`,
  'logServers.pnpListenerError': (p: Params) => `plug and play listener: ${text(p.detail)}`,

  // Log entries of the console, its web server, the API, the CLI, licences, demo and runtime.
  // (logApp.*)
} satisfies Record<string, (p: Params) => string>;

/**
 * Low-level causes a failure names (`cause` in its facts): SIP transport and transaction codes, CSTA XML reading
 * codes, CSTA session codes and the common socket codes. The console words each (`problems.cause.<CODE>`).
 */
const CAUSES = {
  SIP_BAD_START_LINE: 'the peer sent a line that does not start a SIP message',
  SIP_BAD_VERSION: 'the peer speaks a SIP version other than 2.0',
  SIP_BAD_HEADER: 'the peer sent a malformed SIP header',
  SIP_MISSING_HEADER: 'the peer left out a SIP header that is required',
  SIP_BAD_CONTENT_LENGTH: 'the peer sent a SIP message whose length cannot be read',
  SIP_MESSAGE_TOO_LARGE: 'the peer sent a SIP message larger than allowed',
  SIP_INCOMPLETE_MESSAGE: 'the peer left a SIP message unfinished',
  SIP_BAD_URI: 'a SIP address is malformed',
  SIP_CONNECT_FAILED: 'the SIP connection could not be made',
  SIP_TLS_PIN_MISMATCH: 'the server certificate is not the one accepted before',
  SIP_CONNECTION_LOST: 'the SIP connection was lost',
  SIP_KEEPALIVE_TIMEOUT: 'the peer stopped answering SIP keep-alives',
  SIP_TRANSACTION_TIMEOUT: 'a SIP request got no answer in time',
  SIP_AUTH_FAILED: 'the SIP login was refused',
  SIP_REQUEST_FAILED: 'a SIP request was refused',
  SIP_DIALOG_GONE: 'the SIP dialog has ended',
  SIP_CLOSED: 'the SIP connection was closed',
  CSTA_XML_MALFORMED: 'the peer sent CSTA XML that cannot be read',
  CSTA_XML_MISSING: 'the peer left out a CSTA XML element that is required',
  CSTA_XML_BAD_VALUE: 'the peer sent a CSTA XML value that is not allowed',
  CSTA_XML_TOO_LARGE: 'the peer sent a CSTA XML document larger than allowed',
  CSTA_XML_TOO_DEEP: 'the peer sent CSTA XML nested too deeply',
  CSTA_XML_DOCTYPE: 'the peer sent CSTA XML with a document type declaration, which is refused',
  CSTA_UNIVERSAL_FAILURE: 'the PBX refused the request',
  CSTA_ERROR: 'the PBX answered with an error',
  CSTA_REJECTED: 'the PBX rejected the request as unreadable or unsupported',
  CSTA_TIMEOUT: 'the PBX did not answer in time',
  CSTA_NOT_CONNECTED: 'the CSTA session is not open',
  CSTA_CANCELLED: 'the CSTA session was closed',
  CSTA_CONNECTION_LOST: 'the CSTA session ended',
  CSTA_KEEPALIVE_TIMEOUT: 'the PBX stopped answering keep-alives',
  CSTA_PROTOCOL: 'the PBX sent something that cannot be read',
  CSTA_ABORTED: 'the PBX ended the association',
  CSTA_UNSUPPORTED: 'the request cannot be written in this protocol',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the peer closed the connection abruptly',
  ETIMEDOUT: 'there was no answer in time',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name could not be looked up just now',
  EPIPE: 'the peer closed the connection while data was sent',
} as const;
export type CauseCode = keyof typeof CAUSES;

// Logs keep the code in front of the sentence, so a log line can be searched for it.
const CAUSE_ENGLISH = Object.fromEntries(Object.entries(CAUSES).map(([code, sentence]) => [`cause.${code}`, () => `${code}: ${sentence}`])) as Record<`cause.${CauseCode}`, () => string>;
const ALL_ENGLISH = { ...ENGLISH, ...CAUSE_ENGLISH, 'cause.other': (p: Params) => `cause ${text(p.code)}` };

export type ProblemCode = keyof typeof ALL_ENGLISH;
export const PROBLEM_CODES = Object.keys(ALL_ENGLISH) as ProblemCode[];

/** A coded problem with its English sentence. */
export function coded(code: ProblemCode, params: Params = {}): Coded {
  const message = ALL_ENGLISH[code](params);
  return Object.keys(params).length ? { code, params, message } : { code, message };
}

/** A low-level cause code (SIP_TRANSACTION_TIMEOUT, CSTA_XML_MALFORMED, ECONNREFUSED …) as a coded fact. */
export function causeProblem(code: string): Coded {
  return Object.hasOwn(CAUSES, code) ? coded(`cause.${code as CauseCode}`) : coded('cause.other', { code });
}
