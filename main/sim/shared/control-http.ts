// What the simulators' loopback control APIs share: a request body read as one JSON object, the JSON answer
// (refusals 4xx with what is wrong, a bug logged and 500), and listening with the URL to print.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeThrown } from '../../log/process-guard';
import type { PeerLog } from '../../log/rate-limit';
import { BadRequest, describeRequest, readLimitedBody, requestTarget } from '../../web/http-guard';

/** The body as a JSON object (empty: `{}`); anything else is a 400 naming what is wrong. */
export async function readJsonObject(req: IncomingMessage, max = 64 * 1024): Promise<Record<string, unknown>> {
  const text = (await readLimitedBody(req, max)).toString('utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(400, `body is not JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequest(400, 'body must be a JSON object');
  return v as Record<string, unknown>;
}

/** Listens on host:port (0: a free port); resolves with the port bound and the URL to print. */
export async function listenForControl(server: Server, host: string, port: number): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}

export interface ControlRefusal {
  status: number;
  code: string;
  message: string;
}

/**
 * Answers one control request with JSON: what `run` returns (given the path and a POST's body), a BadRequest or
 * what `refused` maps as its refusal, or 500 for anything else (logged).
 */
export async function answerControl(req: IncomingMessage, res: ServerResponse, log: PeerLog, run: (path: string, body: Record<string, unknown>) => unknown, refused?: (e: unknown) => ControlRefusal | undefined): Promise<void> {
  let status = 200;
  let payload: unknown;
  try {
    const { path } = requestTarget(req);
    const body = req.method === 'POST' ? await readJsonObject(req) : {};
    payload = await run(path, body);
  } catch (e) {
    const r = e instanceof BadRequest ? { status: e.status, code: 'INVALID_INPUT', message: e.message } : refused?.(e);
    if (r) [status, payload] = [r.status, { error: { code: r.code, message: r.message } }];
    // the client went away while sending its body: there is no one to answer
    else if ((e as NodeJS.ErrnoException)?.code === 'ECONNRESET' && req.destroyed) return;
    else {
      log.error(`control API ${describeRequest(req)}: answered 500: ${describeThrown(e)}`);
      [status, payload] = [500, { error: { code: 'INTERNAL', message: 'internal error' } }];
    }
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
