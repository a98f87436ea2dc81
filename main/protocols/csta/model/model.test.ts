import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connection, describeFailure, device, partyId, CSTA_SERVICES, EVENT_CAUSES } from './index';

describe('the CSTA model', () => {
  it('imports nothing outside its own folder, so no encoding can creep in', () => {
    const dir = __dirname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toContain('session.ts');
    for (const f of files) {
      const specifiers = [...readFileSync(join(dir, f), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const s of specifiers) expect(s, `${f} imports ${s}`).toMatch(/^\.\/[\w-]+$/);
    }
  });

  it('builds and reads identifiers as text', () => {
    expect(device('201')).toEqual({ id: '201' });
    expect(device('201', 'Reception')).toEqual({ id: '201', name: 'Reception' });
    expect(connection('0a', '201')).toEqual({ callId: '0a', device: { id: '201' } });
    expect(connection('0a', { id: '5', format: 'deviceNumber' })).toEqual({ callId: '0a', device: { id: '5', format: 'deviceNumber' } });
    expect(partyId({ id: '201' })).toBe('201');
    expect(partyId({ unavailable: 'restricted' })).toBeUndefined();
    expect(partyId(undefined)).toBeUndefined();
  });

  it('describes a refusal in one line, and lists each service and cause once', () => {
    expect(describeFailure({ category: 'operation', error: 'invalidDeviceID' })).toBe('operation error invalidDeviceID');
    expect(describeFailure({ category: 'unspecified' })).toBe('unspecified error');
    expect(new Set(CSTA_SERVICES).size).toBe(CSTA_SERVICES.length);
    expect(new Set(EVENT_CAUSES).size).toBe(EVENT_CAUSES.length);
  });
});
