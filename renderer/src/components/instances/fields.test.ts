import { describe, expect, it } from 'vitest';
import { CONNECTION_SCHEMAS, applyChange, connectionExtra, validate } from './fields';

describe('connection form rules', () => {
  it('switching CME AXL to HTTPS fills in port 443, and back to HTTP port 80', () => {
    const https = applyChange('cme', { axlProtocol: 'http', axlPort: 80 }, 'axlProtocol', 'https');
    expect(https.axlPort).toBe(443);
    expect(applyChange('cme', https, 'axlProtocol', 'http').axlPort).toBe(80);
  });

  it('choosing a BroadWorks provider fills in its host, connection type, port and URL prefix', () => {
    const v = applyChange('broadworks', { provider: 'custom', host: '' }, 'provider', 'routit');
    expect(v).toMatchObject({ host: 'cai.voipit.nl', connectionType: 'https', port: 443, urlPrefix: 'nl.cai' });
  });

  it('Panasonic TLS through the multiplexer uses port 33334 and going direct turns TLS off', () => {
    const mux = applyChange('panasonic', { mode: 'multiplexer', tls: false, port: 33333 }, 'tls', true);
    expect(mux.port).toBe(33334);
    const direct = applyChange('panasonic', mux, 'mode', 'direct');
    expect(direct).toMatchObject({ tls: false, port: 33333 });
  });

  it('reports an out-of-range port and an empty host by field while typing', () => {
    const problems = validate(CONNECTION_SCHEMAS.panasonic, { mode: 'direct', host: '', port: 70000, tls: false, user: 'admin' }, connectionExtra('panasonic'));
    expect(problems.port).toMatch(/1-65535/);
    expect(problems.host).toMatch(/empty/);
  });

  it('accepts complete settings with no problems', () => {
    expect(validate(CONNECTION_SCHEMAS['sip-phones'], { host: 'uacsta.local', transport: 'tcp', port: 5060, user: 'u' }, connectionExtra('sip-phones'))).toEqual({});
  });
});
