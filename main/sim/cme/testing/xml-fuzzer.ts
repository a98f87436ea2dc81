// The fuzzing client of xml-api.fuzz.test.ts, run in a worker thread: raw HTTP requests to the simulator's XML API.
import { httpRequest, mutateBytes, oddPath, oddValue, pick, runFuzzWorker } from '../../../web/testing/fuzz';
import { requestDocument } from '../../../protocols/cme-xml';

const PATH = '/ios_xml_app/cme';
const ids = ['1', '2', '3', '9999', '', '-1', 'x'.repeat(300)];

function auth(r: () => number): Record<string, string> {
  const k = r();
  const basic = (s: string) => ({ Authorization: `Basic ${Buffer.from(s).toString('base64')}` });
  if (k < 0.8) return basic('cisco:cisco');
  if (k < 0.88) return basic(pick(r, ['cisco:wrong', 'cisco', ':', 'a:b:c', '\u0000:\u0000']));
  if (k < 0.96) return { Authorization: pick(r, ['Basic', 'Basic ===', 'Digest x', 'Basic ' + 'Q'.repeat(5000)]) };
  return {};
}

/** A well-formed request of each kind, selectors now and then odd. */
function seed(r: () => number): string {
  const id = () => pick(r, ids);
  return pick(r, [
    () => requestDocument('ISgetGlobal'),
    () => requestDocument('ISgetDevice', [['ISKeyword', pick(r, ['all', 'allTag', 'available', 'none', ''])]]),
    () => requestDocument('ISgetDevice', [[pick(r, ['ISDevID', 'ISDevName']), id()]]),
    () => requestDocument('ISgetExtension', [[pick(r, ['ISExtID', 'ISExtNumber', 'ISKeyword']), pick(r, [...ids, 'all', 'allTag'])]]),
    () => requestDocument('ISgetUserProfile', [[pick(r, ['ISUserProfileID', 'ISuserID', 'ISKeyword']), pick(r, [...ids, 'all', 'anna'])]]),
    () => requestDocument('ISgetSipDevice', [['ISKeyword', 'all']]),
    () => requestDocument('ISgetSessionServer', [['ISKeyword', 'all']]),
    () => requestDocument('ISexecCLI', [['CLI', `ephone-dn ${100 + Math.floor(r() * 200)}`], ['CLI', `number ${Math.floor(r() * 1e6)}`], ['CLI', pick(r, ['cti watch', 'no cti notify', 'button 1:1', 'name Fuzz', 'bogus'])]]),
    () => requestDocument(pick(r, ['ISnothing', 'constructor', '__proto__', 'toString', 'ISSaveConfig'])),
  ])();
}

/** Damage that reaches the XML reader: cut, deep, DTD, repeated attributes, odd values, raw byte flips. */
function damage(r: () => number, doc: string): string {
  const i = Math.floor(r() * doc.length);
  return pick(r, [
    () => doc.slice(0, i),
    () => doc.slice(0, i) + '<x>'.repeat(Math.floor(r() * 5000)) + doc.slice(i),
    () => `<!DOCTYPE d [<!ENTITY e "${'z'.repeat(50)}">]>` + doc,
    () => doc.replace('<axl>', '<axl a="1" a="2">'),
    () => doc.replace(/>([^<]+)</, () => `>${String(oddValue(r)).replace(/[<&]/g, '')}<`),
    () => doc.replace('<request', '<response'),
    () => doc.replace(/<CLI>/g, '<CLI><CLI>'),
    () => mutateBytes(r, Buffer.from(doc)).toString('latin1'),
  ])();
}

function request(r: () => number): Buffer {
  const k = r();
  const doc = seed(r);
  const h = auth(r);
  if (k < 0.45) return httpRequest('POST', PATH, h, doc);
  if (k < 0.8) return httpRequest('POST', PATH, h, damage(r, doc));
  if (k < 0.9) return httpRequest('POST', oddPath(r, PATH), h, doc);
  if (k < 0.97) return httpRequest(pick(r, ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']), PATH, h, doc);
  if (k < 0.975) return httpRequest('POST', PATH, h, 'x'.repeat(1_100_000));
  return httpRequest('POST', PATH, h, pick(r, ['', '<', '<request/>', '<axl/>', '<a/><b/>', '\u0000']));
}

await runFuzzWorker(request);
