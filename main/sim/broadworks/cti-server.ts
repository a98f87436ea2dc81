// The simulator's CTI interface: one standing TCP or TLS socket per client carrying Xsi requests (CTIRequest),
// their answers (CTIResponse) and the events of the one channel opened on it, framed as the simulator is told
// (`xml`, `nul` or `length`; the real framing is unknown, so the driver must cope with each).
import type { Socket } from 'node:net';
import { describeThrown } from '../../log/process-guard';
import { forLog, type PeerLog } from '../../log/rate-limit';
import { ctiResponseDoc, readCtiRequest } from '../../protocols/xsi/cti';
import { CtiFrameReader, frameDocument, type CtiFraming } from '../../protocols/xsi/cti-framing';
import { el, esc, parseXml, text, xsiDoc } from '../../protocols/xsi/xml';
import { peerOf } from '../../web/http-guard';
import type { ChannelSink, XsiService } from './xsi-server';

/** A socket that has sent nothing for this long is closed (a client sends heartbeats far more often). */
const IDLE_MS = 120_000;

/** Serves one CTI client; every failure ends that socket alone. */
export function serveCtiSocket(xsi: XsiService, framing: CtiFraming, log: PeerLog, socket: Socket): void {
  const peer = peerOf(socket);
  // `xml` and `nul` servers read documents by their end; a `length` server insists on the prefix.
  const reader = new CtiFrameReader(framing === 'length' ? 'length' : 'xml');
  const channels: Array<{ drop(): void }> = [];
  const send = (doc: string) => {
    if (!socket.destroyed && socket.writable) socket.write(frameDocument(doc, framing));
  };
  const sink: ChannelSink = { write: send, end: () => undefined, cut: () => socket.destroy() };
  const refuse = (why: string) => {
    log.warn(`CTI ${peer}: ${forLog(why)}; connection closed`);
    send(xsiDoc('ErrorInfo', el('summary', esc(why)) + el('summaryEnglish', esc(why))));
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  };
  socket.setNoDelay(true);
  socket.setTimeout(IDLE_MS, () => refuse('no request for too long'));
  // Requests are answered in order, also while the delay fault holds one back.
  const idle = Promise.resolve();
  let queue = idle;
  socket.on('data', (chunk: Buffer) => {
    if (socket.destroyed || !socket.writable) return;
    let docs: string[];
    try {
      docs = reader.push(chunk);
    } catch (e) {
      return refuse(`the stream is not framed as ${framing}: ${(e as Error).message}`);
    }
    if (xsi.faults.answerDelayMs || xsi.faults.silent || queue !== idle) {
      const held = queue.then(async () => {
        if (await xsi.answerFaults()) serve(docs);
      });
      queue = held.catch((e: unknown) => log.error(`CTI ${peer}: ${describeThrown(e)}`));
      return;
    }
    serve(docs);
  });
  const serve = (docs: string[]) => {
    if (socket.destroyed || !socket.writable) return;
    for (const doc of docs) {
      let requestId = '';
      try {
        const { root, body } = parseXml(doc);
        if (root !== 'CTIRequest') throw new Error(`expected a CTIRequest, got ${root}`);
        requestId = text(body, 'requestId').slice(0, 64);
        const r = readCtiRequest(body);
        xsi.counters.ctiRequests++;
        const reply = xsi.dispatch({ method: r.method, target: r.path, authorization: r.authorization, body: r.body }, sink, `${r.method} ${forLog(r.path)} from ${peer} (CTI)`);
        if (reply.channel) channels.push(reply.channel);
        send(ctiResponseDoc(r.requestId, reply.status, reply.body));
      } catch (e) {
        const why = e instanceof Error ? e.message : describeThrown(e);
        // A request we can tie to an ID gets its own error answer; anything else is a peer not speaking CTI.
        if (requestId) send(ctiResponseDoc(requestId, 400, xsiDoc('ErrorInfo', el('summary', esc(why)))));
        else return refuse(why);
      }
    }
  };
  socket.on('error', (e) => log.warn(`CTI ${peer}: ${e.message}`));
  socket.on('close', () => {
    for (const c of channels) c.drop();
  });
}
