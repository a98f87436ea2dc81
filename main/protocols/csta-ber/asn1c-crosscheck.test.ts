// Independent cross-check: our own transcription of the ASN.1 (asn1/csta-subset.asn1) is compiled with
// Debian's asn1c at test time (never committed). Every PDU our encoder produces must decode with the generated
// decoder; the generated XER is turned back into DER by asn1c and must equal our bytes and decode, with our
// decoder, to the value we started from. A mismatch fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berDecode, berEncode, fromHex, hex } from './ber';
import type { Codec } from './codec';
import { decodeApdu, encodeInvoke, encodeReturnResult, encodeUniversalFailure } from './apdu';
import { AARE, cstaVersionsOf } from './acse';
import { UniversalFailure } from './error-definition';
import { NoDataResult } from './extension-types';
import { operations, type OperationName } from './operations';
import { sampleArguments, sampleResults } from './testing/samples';

const here = dirname(fileURLToPath(import.meta.url));
let dir = '';
let n = 0;

function run(args: string[], input: Uint8Array | string): Buffer {
  const f = join(dir, `in${n++}`);
  writeFileSync(f, input);
  return execFileSync(join(dir, 'progname'), [...args, f], { stdio: ['ignore', 'pipe', 'pipe'] });
}
/** asn1c decodes our BER (must succeed), prints XER, re-encodes that XER as DER. */
function viaAsn1c(type: string, ber: Uint8Array): { xer: string; der: Uint8Array } {
  let xer: string;
  try {
    xer = run(['-p', type, '-iber', '-oxer'], ber).toString('utf8');
  } catch (e) {
    throw new Error(`asn1c could not decode our ${type} ${hex(ber)}: ${(e as { stderr?: Buffer }).stderr?.toString()}`);
  }
  const der = new Uint8Array(run(['-p', type, '-ixer', '-oder'], xer));
  return { xer, der };
}

const special: Partial<Record<OperationName, [string, string?]>> = {
  singleStepTransferCall: ['SingleStepTransArgument', 'SingleStepTransResult'],
  systemStatus: ['SystemStatusArg'],
  cSTAEventReport: ['CSTAEventReportArgument'],
  startCDRTransmission: ['StartCDRTransmissionArgument', 'StartCDRTransmissionResult'],
  stopCDRTransmission: ['StopCDRTransmissionArgument'],
  cDRReport: ['CDRReportArgument'],
};
/** DEFAULT values of the members our samples leave out (ECMA-285). */
const DEFAULTS: Record<string, unknown> = { autoOriginate: 'prompt', consultOptions: 'unrestricted', deviceCategory: 'station' };
function withoutAddedDefaults(got: unknown, want: unknown): unknown {
  if (Array.isArray(got) && Array.isArray(want)) return got.map((g, i) => withoutAddedDefaults(g, want[i]));
  if (!got || typeof got !== 'object' || !want || typeof want !== 'object') return got;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(got)) {
    if (!(k in want) && k in DEFAULTS && JSON.stringify(DEFAULTS[k]) === JSON.stringify(v)) continue;
    out[k] = withoutAddedDefaults(v, (want as Record<string, unknown>)[k]);
  }
  return out;
}
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
function typesOf(name: OperationName): { arg: string; res?: string } {
  const def = operations[name] as { result?: unknown };
  const [a, r] = special[name] ?? [];
  const res = def.result === undefined ? undefined : def.result === NoDataResult ? 'NoDataResult' : (r ?? `${cap(name)}Result`);
  return { arg: a ?? `${cap(name)}Argument`, res };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csta-asn1c-'));
  try {
    execFileSync('asn1c', ['-fcompound-names', '-fincludes-quoted', '-pdu=all', join(here, 'asn1', 'csta-subset.asn1')], { cwd: dir, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`asn1c failed (install it with apt-get install asn1c): ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  execFileSync('make', ['-j2', '-f', 'Makefile.am.sample', 'CFLAGS=-I. -DASN_PDU_COLLECTION -DPDU=ROSEapdu -O0 -w'], { cwd: dir, stdio: 'pipe' });
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('asn1c cross-check of our own ASN.1 transcription', () => {
  const names = Object.keys(operations) as OperationName[];

  it.each(names)('%s: asn1c reads our encoding, and its re-encoding equals ours and reads back to the same value', (name) => {
    const { arg, res } = typesOf(name);
    const def = operations[name] as { argument: Codec<unknown>; result?: Codec<unknown> };
    const cases: [string, Codec<unknown>, unknown][] = [
      ...(sampleArguments[name] as unknown[]).map((v) => [arg, def.argument, v] as [string, Codec<unknown>, unknown]),
      ...((sampleResults[name] ?? []) as unknown[]).map((v) => [res!, def.result!, v] as [string, Codec<unknown>, unknown]),
    ];
    for (const [type, codec, value] of cases) {
      const ours = berEncode(codec.enc(value));
      const { der } = viaAsn1c(type, ours);
      const theirs = codec.dec(berDecode(der));
      // asn1c 0.9.28 writes DEFAULT members out in DER; everything else must be identical
      expect(hex(berEncode(codec.enc(theirs))), `${type} ${JSON.stringify(value)}`).toBe(hex(der));
      expect(withoutAddedDefaults(theirs, value), type).toEqual(value);
    }
  });

  it('asn1c reads every whole ROSE APDU we send, invokes and results alike', () => {
    for (const name of names) {
      for (const [i, a] of (sampleArguments[name] as unknown[]).entries()) {
        const apdu = encodeInvoke(name, i + 1, a as never);
        const { xer, der } = viaAsn1c('ROSEapdu', apdu);
        expect(xer).toContain(`<opcode>${operations[name].code}</opcode>`);
        // the argument is an open type (ANY) to the ROSE PDU, so its bytes come back unchanged
        expect(hex(der)).toBe(hex(apdu));
      }
      for (const [i, r] of ((sampleResults[name] ?? []) as unknown[]).entries()) {
        const apdu = encodeReturnResult(name, i + 1, r as never);
        expect(hex(viaAsn1c('ROSEapdu', apdu).der)).toBe(hex(apdu));
      }
    }
  });

  it('asn1c and our codec agree on universalFailure errors', () => {
    const failures: UniversalFailure[] = [
      { operation: 'generic' },
      { operation: 'invalidDeviceID' },
      { systemResourceAvailability: 'resourceBusy' },
      { stateIncompatibility: 'noCallToAnswer' },
      { unspecified: null },
    ];
    for (const f of failures) {
      const ours = berEncode(UniversalFailure.enc(f));
      const { der } = viaAsn1c('UniversalFailure', ours);
      expect(hex(der)).toBe(hex(ours));
      expect(UniversalFailure.dec(berDecode(der))).toEqual(f);
      const apdu = encodeUniversalFailure(5, f);
      expect(hex(viaAsn1c('ROSEapdu', apdu).der)).toBe(hex(apdu));
    }
  });

  it('asn1c reads the captured Panasonic AARE as accepted, CSTA versionFive, and our decoder reads its XER-derived DER the same', () => {
    const captured = fromHex('612f80020780a10706052b0c00815aa203020100a305a103020101be14281206072b0c00821d8148a007a0050303000800');
    const { xer, der } = viaAsn1c('AARE-apdu', captured);
    expect(xer).toMatch(/<result>0<\/result>|<result><accepted\/><\/result>/);
    expect(xer).toContain('1.3.12.0.218');
    // DER drops the DEFAULT protocol-version and trailing zero bits of the version BIT STRING; values must agree
    const fromAsn1c = decodeApdu(der);
    const fromCapture = decodeApdu(captured);
    if (fromAsn1c.kind !== 'aare' || fromCapture.kind !== 'aare') throw new Error('not AAREs');
    expect(fromAsn1c.result).toBe(fromCapture.result);
    expect(fromAsn1c.resultSourceDiagnostic).toEqual(fromCapture.resultSourceDiagnostic);
    expect(cstaVersionsOf(fromAsn1c)).toEqual(['versionFive']);
    expect(AARE.dec(berDecode(der)).applicationContextName).toBe('1.3.12.0.218');
  });

  it('feeds XER written by hand through asn1c into our decoder', () => {
    const xer = `<MakeCallArgument><callingDevice><deviceIdentifier><dialingNumber>201</dialingNumber></deviceIdentifier></callingDevice>
      <calledDirectoryNumber><deviceIdentifier><dialingNumber>0301234</dialingNumber></deviceIdentifier><privateName>Office</privateName></calledDirectoryNumber>
      <autoOriginate><doNotPrompt/></autoOriginate></MakeCallArgument>`;
    const der = new Uint8Array(run(['-p', 'MakeCallArgument', '-ixer', '-oder'], xer));
    expect(operations.makeCall.argument.dec(berDecode(der))).toEqual({
      callingDevice: { deviceIdentifier: { dialingNumber: '201' } },
      calledDirectoryNumber: { deviceIdentifier: { dialingNumber: '0301234' }, privateName: 'Office' },
      autoOriginate: 'doNotPrompt',
    });
    const mon = new Uint8Array(run(['-p', 'MonitorStartArgument', '-ixer', '-oder'], '<MonitorStartArgument><monitorObject><deviceObject><deviceIdentifier><deviceNumber>5</deviceNumber></deviceIdentifier></deviceObject></monitorObject><monitorType><device/></monitorType></MonitorStartArgument>'));
    expect(hex(mon)).toBe('300830038101050a0101');
    expect(readFileSync(join(here, 'asn1', 'csta-subset.asn1'), 'utf8')).toContain('DEFINITIONS ::=');
  });
});
