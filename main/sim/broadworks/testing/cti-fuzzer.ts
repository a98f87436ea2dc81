// The fuzzing client of cti.fuzz.test.ts, run in a worker thread: CTIRequest documents on the simulator's CTI
// socket in its framing — valid Xsi requests, odd ones and damaged XML, each with its own request ID, which all
// must be answered — then, on some connections, a broken frame or junk that may end the connection.
import { connect } from 'node:net';
import { ctiRequestDoc } from '../../../protocols/xsi/cti';
import { CtiFrameReader, frameDocument, type CtiFraming } from '../../../protocols/xsi/cti-framing';
import { parseXml, text } from '../../../protocols/xsi/xml';
import { junk, mutateBytes, oddPath, pick, rng } from '../../../web/testing/fuzz';
import { auth, mutateXml, seed } from './xsi-requests';

type Rng = () => number;

function requestDoc(r: Rng, id: string): string {
  const s = seed(r);
  const kind = r();
  const authorization = auth(r).Authorization ?? '';
  const body = kind < 0.5 ? (s.body ?? '') : kind < 0.8 ? mutateXml(r, s.body ?? '<x/>') : s.body ?? '';
  const path = kind >= 0.8 && kind < 0.95 ? oddPath(r, s.path) : s.path;
  const method = kind >= 0.95 ? pick(r, ['GET', 'PATCH', 'X', 'OPTIONS']) : s.method;
  return ctiRequestDoc({ requestId: id, method, path, authorization, body });
}

/** Damage to the framing or the envelope, which the server may answer by closing the connection. */
function broken(r: Rng, framing: CtiFraming, valid: Buffer): Buffer {
  switch (Math.floor(r() * 7)) {
    case 0: return junk(r, 400);
    case 1: return mutateBytes(r, valid);
    case 2: return frameDocument(pick(r, ['<a>', '</a>', '<CTIRequest/>', '<CTIRequest><requestId>x</requestId></CTIRequest>', '<?xml?>', '<a><b></a>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>']), framing);
    case 3: return Buffer.concat([Buffer.from([0x7f, 0xff, 0xff, 0xff]), Buffer.from('<x/>')]);
    case 4: return frameDocument(`<a>${'<b>'.repeat(50_000)}`, framing);
    case 5: return frameDocument(`<CTIRequest xmlns="http://schema.broadsoft.com/xsi"><requestId>${'9'.repeat(100)}</requestId></CTIRequest>`, framing);
    default: return Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  }
}

function oneConnection(port: number, framing: CtiFraming, r: Rng): Promise<{ sent: number; wellFormed: number; answered: number }> {
  const n = 1 + Math.floor(r() * 60);
  const docs = Array.from({ length: n }, (_, i) => requestDoc(r, `f${i}`));
  const frames = docs.map((d) => frameDocument(d, framing));
  const breakIt = r() < 0.25;
  if (breakIt) frames.push(broken(r, framing, frames[0]));
  return new Promise((resolve) => {
    const want = new Set(docs.map((_, i) => `f${i}`));
    let answered = 0;
    const reader = new CtiFrameReader('auto');
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat(frames)));
    const done = () => {
      socket.destroy();
      resolve({ sent: frames.length, wellFormed: breakIt ? 0 : n, answered: breakIt ? 0 : answered });
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const doc of reader.push(chunk)) {
          const { root, body } = parseXml(doc, { validate: false });
          if (root === 'CTIResponse' && want.delete(text(body, 'requestId'))) answered++;
        }
      } catch {
        return done();
      }
      if (want.size === 0 && !breakIt) done();
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.setTimeout(breakIt ? 50 : 5000, done);
  });
}

const { parentPort, workerData } = await import('node:worker_threads');
const { port, seed: first, count, framing } = workerData as { port: number; seed: number; count: number; framing: CtiFraming };
const r = rng(first);
const stats = { sent: 0, wellFormed: 0, answered: 0 };
while (stats.sent < count) {
  const s = await oneConnection(port, framing, r);
  stats.sent += s.sent;
  stats.wellFormed += s.wellFormed;
  stats.answered += s.answered;
}
parentPort!.postMessage(stats);
