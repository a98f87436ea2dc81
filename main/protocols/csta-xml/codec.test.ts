import { describe, expect, it } from 'vitest';
import { CSTA_SERVICES, CstaSessionError } from '../csta/model';
import { decodeCsta, encodeCsta, encodeRequest, type CstaXmlMessage } from './codec';
import { EDITIONS, namespaceOf } from './editions';
import { CstaXmlError } from './errors';
import { EVENTS } from './messages';
import { allSampleMessages, sampleEvents, sampleRequests, sampleResponses } from './testing/samples';

const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
const ED5 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed5';

function xmlError(f: () => unknown): CstaXmlError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CstaXmlError);
    return e as CstaXmlError;
  }
  throw new Error('no error');
}

describe('CSTA XML round trip', () => {
  it('has samples for every service of the model, both ways, and for every modelled event', () => {
    for (const s of CSTA_SERVICES) {
      expect(sampleRequests[s].length, s).toBeGreaterThan(0);
      expect(sampleResponses[s].length, s).toBeGreaterThan(0);
    }
    expect(new Set(sampleEvents.map((e) => e.name))).toEqual(new Set(Object.keys(EVENTS)));
  });

  it('reads back every request, response, event and error it writes, in every edition', () => {
    for (const edition of EDITIONS) {
      for (const msg of allSampleMessages()) {
        const xml = encodeCsta(msg, edition);
        const back = decodeCsta(xml);
        expect(back.message, xml).toEqual(msg);
        expect(back.edition).toBe(edition);
        expect(back.namespace).toBe(namespaceOf(edition));
      }
    }
  });

  it('writes the standard shapes', () => {
    expect(encodeRequest('makeCall', { callingDevice: { id: '1001' }, calledDirectoryNumber: { id: '1002' } }, 'ed3')).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><MakeCall xmlns="${ED3}"><callingDevice>1001</callingDevice><calledDirectoryNumber>1002</calledDirectoryNumber></MakeCall>`,
    );
    expect(encodeRequest('monitorStart', { monitorObject: { device: { id: '201' } } })).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="${ED5}"><monitorObject><deviceObject>201</deviceObject></monitorObject></MonitorStart>`,
    );
    expect(encodeCsta({ kind: 'error', failure: { category: 'operation', error: 'invalidDeviceID' } }, 'ed3')).toContain('<CSTAErrorCode xmlns="' + ED3 + '"><operation>invalidDeviceID</operation></CSTAErrorCode>');
    expect(encodeRequest('makeCall', { callingDevice: { id: '1' }, calledDirectoryNumber: { id: '+4930', format: 'explicitPublic', typeOfNumber: 'international' } })).toContain(
      '<calledDirectoryNumber typeOfNumber="explicitPublic:international">+4930</calledDirectoryNumber>',
    );
  });
});

describe('CSTA XML as real peers write it', () => {
  it('reads the reference documents of snom, Yealink and Microsoft RCC (prefixes, misspelt namespaces, vendor forms)', () => {
    const yealinkNs = 'http://www.ecmainternational.org/standards/ecma-323/csta/ed5';
    const got = decodeCsta(`<?xml version="1.0" encoding="utf-8"?><MonitorStartResponse xmlns="${yealinkNs}"><monitorCrossRefID>0</monitorCrossRefID><monitorExistingCalls>true</monitorExistingCalls></MonitorStartResponse>`);
    expect(got).toEqual({ namespace: yealinkNs, edition: 'ed5', message: { kind: 'response', service: 'monitorStart', result: { crossRefIdentifier: '0', monitorExistingCalls: true } } });

    const prefixed = decodeCsta(`<csta:AnswerCall xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><csta:callToBeAnswered><csta:deviceID>201</csta:deviceID></csta:callToBeAnswered></csta:AnswerCall>`);
    expect(prefixed).toMatchObject({ edition: 'ed4', message: { kind: 'request', service: 'answerCall', args: { callToBeAnswered: { device: { id: '201' } } } } });

    // Yealink: TransferedEvent, and DeflectCall's newDestination wrapped in <device>
    const t = decodeCsta(`<TransferedEvent xmlns="${ED5}"><monitorCrossRefID>0</monitorCrossRefID><primaryOldCall><callID>7</callID><deviceID>201</deviceID></primaryOldCall><transferringDevice><deviceIdentifier>201</deviceIdentifier></transferringDevice><transferredToDevice><deviceIdentifier>202</deviceIdentifier></transferredToDevice><transferredConnections><connectionListItem/></transferredConnections><localConnectionInfo>null</localConnectionInfo><cause>transfer</cause></TransferedEvent>`);
    expect(t.message).toMatchObject({ kind: 'event', event: { name: 'transferred', transferredToDevice: { id: '202' }, transferredConnections: [{}], cause: 'transfer' } });
    const deflect = decodeCsta(`<DeflectCall xmlns="${ED3}"><callToBeDiverted><callID>7</callID></callToBeDiverted><newDestination><device>202</device></newDestination></DeflectCall>`);
    expect(deflect.message).toEqual({ kind: 'request', service: 'deflectCall', args: { callToBeDiverted: { callId: '7' }, newDestination: { id: '202' } } });

    // DoNotDisturbEvent with device/deviceIdentifier; SwitchingFunctionDevices as Yealink sends it
    const dnd = decodeCsta(`<DoNotDisturbEvent xmlns="${ED3}"><monitorCrossRefID>1</monitorCrossRefID><device><deviceIdentifier>201</deviceIdentifier></device><doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>`);
    expect(dnd.message).toEqual({ kind: 'event', event: { category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: '1', device: { id: '201' }, doNotDisturbOn: true } });
    const sfd = decodeCsta(`<SwitchingFunctionDevices xmlns="${ED5}"><serviceCrossRefID>C252</serviceCrossRefID><lastSegment>true</lastSegment><deviceList><device><deviceID>sip:201@pbx.example.test:5060</deviceID></device></deviceList></SwitchingFunctionDevices>`);
    expect(sfd.message).toEqual({ kind: 'request', service: 'switchingFunctionDevices', args: { serviceCrossRefID: 'C252', lastSegment: true, deviceList: [{ deviceID: { id: 'sip:201@pbx.example.test:5060' } }] } });

    // MS RCC's RequestSystemStatus with a vendor fragment in private data, and the ed5 error with <unspecified/>
    const rss = decodeCsta(`<?xml version="1.0"?><RequestSystemStatus xmlns="${ED3}"><extensions><privateData><private><lcs:line xmlns:lcs="http://schemas.microsoft.com/Lcs/2005/04/RCCExtension">tel:73124;phone-context=dialstring</lcs:line></private></privateData></extensions></RequestSystemStatus>`);
    expect(rss.message).toEqual({ kind: 'request', service: 'requestSystemStatus', args: { privateData: [{ format: 'xml', value: '<lcs:line xmlns:lcs="http://schemas.microsoft.com/Lcs/2005/04/RCCExtension">tel:73124;phone-context=dialstring</lcs:line>' }] } });
    expect(decodeCsta(`<CSTAErrorCode xmlns="${ED5}"><unspecified/></CSTAErrorCode>`).message).toEqual({ kind: 'error', failure: { category: 'unspecified' } });
  });

  it('keeps leading zeros and text as text, reads a missing party as notKnown, and unknown roots and events as such', () => {
    const r = decodeCsta(`<MakeCall xmlns="${ED3}"><callingDevice>0201</callingDevice><calledDirectoryNumber>0301234567</calledDirectoryNumber></MakeCall>`);
    expect(r.message).toMatchObject({ args: { callingDevice: { id: '0201' }, calledDirectoryNumber: { id: '0301234567' } } });
    const e = decodeCsta(`<ConnectionClearedEvent xmlns="${ED3}"><monitorCrossRefID>0</monitorCrossRefID><droppedConnection><callID>7</callID></droppedConnection></ConnectionClearedEvent>`);
    expect(e.message).toMatchObject({ event: { releasingDevice: { unavailable: 'notKnown' } } });
    expect(decodeCsta(`<HookswitchEvent xmlns="${ED3}"><monitorCrossRefID>4</monitorCrossRefID></HookswitchEvent>`).message).toEqual({ kind: 'event', event: { category: 'physicalDeviceFeature', name: 'other', monitorCrossRefId: '4' } });
    expect(decodeCsta(`<SetMicrophoneMute xmlns="${ED3}"><device>1</device></SetMicrophoneMute>`).message).toEqual({ kind: 'unknown', root: 'SetMicrophoneMute' });
  });
});

describe('CSTA XML: bad input gets a clear error naming the element', () => {
  it('refuses DOCTYPEs and never expands entities', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><MakeCall xmlns="${ED3}"><callingDevice>&b;</callingDevice><calledDirectoryNumber>1</calledDirectoryNumber></MakeCall>`;
    expect(xmlError(() => decodeCsta(bomb))).toMatchObject({ code: 'CSTA_XML_DOCTYPE', params: { element: 'MakeCall' } });
    expect(xmlError(() => decodeCsta(`<MakeCall><callingDevice>&b;</callingDevice></MakeCall>`))).toMatchObject({ code: 'CSTA_XML_MALFORMED', params: { element: 'callingDevice', value: '&b;' } });
    expect(decodeCsta(`<MakeCall><callingDevice>a&amp;b&#x41;&#66;&lt;</callingDevice><calledDirectoryNumber>1</calledDirectoryNumber></MakeCall>`).message).toMatchObject({ args: { callingDevice: { id: 'a&bAB<' } } });
  });

  it('limits size and depth', () => {
    const big = `<MakeCall><callingDevice>${'1'.repeat(70_000)}</callingDevice></MakeCall>`;
    expect(xmlError(() => decodeCsta(big))).toMatchObject({ code: 'CSTA_XML_TOO_LARGE', params: { limit: 65_536 } });
    expect(xmlError(() => decodeCsta(Buffer.from(big)))).toMatchObject({ code: 'CSTA_XML_TOO_LARGE' });
    const deep = `<MakeCall>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</MakeCall>`;
    expect(xmlError(() => decodeCsta(deep))).toMatchObject({ code: 'CSTA_XML_TOO_DEEP', params: { limit: 32 } });
    expect(xmlError(() => decodeCsta(`<A><b/></A>`, { maxDepth: 1 }))).toMatchObject({ code: 'CSTA_XML_TOO_DEEP', params: { limit: 1 } });
  });

  it('says which element is missing or wrong', () => {
    expect(xmlError(() => decodeCsta(`<MakeCall xmlns="${ED3}"><callingDevice>1</callingDevice></MakeCall>`))).toMatchObject({ code: 'CSTA_XML_MISSING', params: { element: 'calledDirectoryNumber', parent: 'MakeCall' } });
    expect(xmlError(() => decodeCsta(`<SetDoNotDisturb><device>1</device><doNotDisturbOn>maybe</doNotDisturbOn></SetDoNotDisturb>`))).toMatchObject({ code: 'CSTA_XML_BAD_VALUE', params: { element: 'doNotDisturbOn', value: 'maybe' } });
    expect(xmlError(() => decodeCsta(`<GenerateDigits><connectionToSendDigits><callID>1</callID></connectionToSendDigits><charactersToSend>1</charactersToSend><toneDuration>x</toneDuration></GenerateDigits>`))).toMatchObject({ code: 'CSTA_XML_BAD_VALUE', params: { element: 'toneDuration' } });
    expect(xmlError(() => decodeCsta(`<AnswerCall><callToBeAnswered/></AnswerCall>`))).toMatchObject({ code: 'CSTA_XML_MISSING', params: { element: 'callID', parent: 'callToBeAnswered' } });
    expect(xmlError(() => decodeCsta(`<MakeCall><callingDevice>1</MakeCall>`))).toMatchObject({ code: 'CSTA_XML_MALFORMED' });
    expect(xmlError(() => decodeCsta(`<A/><B/>`))).toMatchObject({ code: 'CSTA_XML_MALFORMED', params: { count: 2 } });
    expect(xmlError(() => decodeCsta(new Uint8Array([0x3c, 0x41, 0xff, 0x2f, 0x3e])))).toMatchObject({ code: 'CSTA_XML_MALFORMED', params: { reason: 'not UTF-8' } });
  });

  it('refuses to write what XML cannot carry', () => {
    const bad: [() => unknown, string][] = [
      [() => encodeRequest('makeCall', { callingDevice: { id: 'a\u0001' }, calledDirectoryNumber: { id: '1' } }), 'U+0001 in <callingDevice>'],
      [() => encodeRequest('makeCall', { callingDevice: { id: '1', name: 'Reception' }, calledDirectoryNumber: { id: '1' } }), "a device's name"],
      [() => encodeRequest('answerCall', { callToBeAnswered: {} }), 'neither a call nor a device'],
      [() => encodeRequest('escape', { privateData: { format: 'xml', value: '<open>' } }), 'not an XML fragment'],
      [() => encodeRequest('generateDigits', { connectionToSendDigits: { callId: '1' }, charactersToSend: '1', toneDuration: 1.5 }), 'not an integer'],
      [() => encodeRequest('systemRegister', { requestTypes: ['a b'] }), 'not an element name'],
      [() => encodeCsta({ kind: 'event', event: { category: 'vendorSpecific', name: 'other', monitorCrossRefId: '1' } }), 'does not describe'],
    ];
    for (const [f, text] of bad) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(CstaSessionError);
      expect((err as CstaSessionError).code).toBe('CSTA_UNSUPPORTED');
      expect((err as CstaSessionError).message).toContain(text);
    }
  });

  it('decodes what it writes for a document of every root with its members shuffled', () => {
    for (const msg of allSampleMessages()) {
      const xml = encodeCsta(msg);
      const root = decodeCsta(xml);
      // reverse the members of the root: readers take any order
      const m = /^(<\?xml[^>]*\?><(\w+)[^>]*>)(.*)(<\/\2>)$/s.exec(xml)!;
      const parts = m[3].match(/<(\w+)[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g) ?? [];
      const shuffled = m[1] + [...parts].reverse().join('') + m[4];
      expect(decodeCsta(shuffled).message, shuffled).toEqual(root.message as CstaXmlMessage);
    }
  });
});
