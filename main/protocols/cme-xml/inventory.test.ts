import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CmeXmlClient } from './client';
import { readExtensions } from './inventory';
import { responseDocument } from './xml';

describe('reading a list one ID per request', () => {
  it('reads every ID with at most `outstanding` requests at once, and sends no more after the first failure', async () => {
    let perId = 0;
    let inFlight = 0;
    let most = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const answer = (inner: string) => res.writeHead(200, { 'content-type': 'text/xml' }).end(responseDocument('ISgetExtensionResponse', inner));
        if (body.includes('>all<')) return answer('<ISError><ISErrorCode>BUFFER</ISErrorCode></ISError>');
        if (body.includes('>allTag<')) return answer(`<ISExtensions>${Array.from({ length: 40 }, (_, i) => `<ISExtension><ISExtID>${i + 1}</ISExtID></ISExtension>`).join('')}</ISExtensions>`);
        const id = Number(/<ISExtID>(\d+)</.exec(body)?.[1]);
        perId++;
        most = Math.max(most, ++inFlight);
        setTimeout(() => {
          inFlight--;
          if (id === 30 && fail) return res.writeHead(500).end();
          answer(`<ISExtensions><ISExtension><ISExtID>${id}</ISExtID><ISExtNumber>${2000 + id}</ISExtNumber></ISExtension></ISExtensions>`);
        }, 2);
      });
    });
    let fail = false;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new CmeXmlClient({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, tls: false, user: 'u', password: 'p', outstanding: 3 });
    try {
      const all = await readExtensions(client);
      expect(all.map((x) => x.number)).toEqual(Array.from({ length: 40 }, (_, i) => String(2001 + i)));
      expect(most).toBe(3);
      perId = 0;
      fail = true;
      await expect(readExtensions(client)).rejects.toThrow(/HTTP 500/);
      await new Promise((r) => setTimeout(r, 50));
      // IDs 1-30 asked, plus at most the two already in flight beside the failing one.
      expect(perId).toBeLessThanOrEqual(32);
    } finally {
      client.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
