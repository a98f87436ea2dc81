// The fuzzing client of xsi.fuzz.test.ts, run in a worker thread: raw HTTP requests to the simulator's Xsi port.
import { httpRequest, oddPath, oddValue, pick, runFuzzWorker } from '../../../web/testing/fuzz';
import { auth, mutateXml, seed } from './xsi-requests';

function request(r: () => number): Buffer {
  const s = seed(r);
  const kind = r();
  const h = auth(r);
  if (kind < 0.4) return httpRequest(s.method, s.path, h, s.body ?? '');
  if (kind < 0.7) return httpRequest(s.method, s.path, h, mutateXml(r, s.body ?? '<x/>'));
  if (kind < 0.85) return httpRequest(s.method, oddPath(r, s.path), h, s.body ?? '');
  if (kind < 0.95) return httpRequest(pick(r, ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']), s.path, h, r() < 0.5 ? '' : JSON.stringify(oddValue(r)));
  if (kind < 0.955) return httpRequest('PUT', s.path, h, 'x'.repeat(70_000));
  return httpRequest('POST', s.path, h, pick(r, ['<', '<a>', '</a>', '<?xml?>', '\u0000', '<a><b></a>', '<a/><b/>']));
}

await runFuzzWorker(request);
