import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { axlPart, CmeXmlClient, MAX_ANSWER_BYTES, NotXmlApiError, operationOf, parseDocument, requestDocument, responseDocument, text, XmlError } from './index';

describe('CME XML API documents', () => {
  it('reads a request by local name in the SOAP envelope and bare, with its operation from xsi:type or the element', () => {
    const enveloped = axlPart(parseDocument(requestDocument('ISgetDevice', [['ISKeyword', 'all']])), 'request')!;
    expect(operationOf(enveloped)).toBe('ISgetDevice');
    expect(text(enveloped.ISgetDevice, 'ISKeyword')).toBe('all');
    const bare = axlPart(parseDocument('<request><ISgetVoiceRegGlobal/></request>'), 'request')!;
    expect(operationOf(bare)).toBe('ISgetVoiceRegGlobal');
    expect(axlPart(parseDocument('<html><body>router</body></html>'), 'response')).toBeUndefined();
  });

  it('keeps leading zeros and escapes values', () => {
    const doc = parseDocument(responseDocument('ISgetExtensionResponse', '<ISExtNumber>0049</ISExtNumber>'));
    expect(text(axlPart(doc, 'response'), 'ISExtNumber')).toBe('0049');
    expect(requestDocument('ISexecCLI', [['CLI', 'name A&B <x>']])).toContain('<CLI>name A&amp;B &lt;x&gt;</CLI>');
  });

  it('refuses DTDs (no entity can expand), nesting beyond 64 and more than one root', () => {
    expect(() => parseDocument('<!DOCTYPE a [<!ENTITY x "yyyy">]><a>&x;</a>')).toThrow(XmlError);
    expect(() => parseDocument('<a>'.repeat(65) + '</a>'.repeat(65))).toThrow(/deeper than 64/);
    expect(() => parseDocument('<a>'.repeat(60) + '</a>'.repeat(60))).not.toThrow();
    expect(() => parseDocument('<a/><b/>')).toThrow(/one root/);
  });

  it('stops reading an answer longer than the limit', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent <= MAX_ANSWER_BYTES + chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new CmeXmlClient({ host: '127.0.0.1', port: (server.address() as { port: number }).port, tls: false, user: 'u', password: 'p' });
    try {
      const e = await client.request('ISgetGlobal').catch((x) => x);
      expect(e).toBeInstanceOf(NotXmlApiError);
      expect(e.message).toMatch(/longer than/);
    } finally {
      client.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
