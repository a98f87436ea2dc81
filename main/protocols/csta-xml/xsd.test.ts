import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCsta } from './codec';
import { EDITIONS, namespaceOf, type CstaXmlEdition } from './editions';
import { allSampleMessages } from './testing/samples';

// Every document the encoder writes must validate against our XSD transcription of ECMA-323 (xsd/), checked by
// Debian's xmllint (libxml2-utils; scripts/ensure-system-deps.sh installs it). A missing xmllint fails the test.
const XSD = readFileSync(join(__dirname, 'xsd', 'csta-subset.xsd'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'csta-xsd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs xmllint over the documents against the schema in `edition`'s namespace; returns the files that failed, with why. */
function validate(edition: CstaXmlEdition, docs: string[]): { failed: string[]; output: string } {
  const xsd = join(dir, `csta-${edition}.xsd`);
  writeFileSync(xsd, XSD.replaceAll(namespaceOf('ed5'), namespaceOf(edition)));
  const files = docs.map((d, i) => {
    const f = join(dir, `${edition}-${i}.xml`);
    writeFileSync(f, d);
    return f;
  });
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`xmllint could not run (${r.error.message}); install libxml2-utils (scripts/ensure-system-deps.sh)`);
  const output = r.stdout + r.stderr;
  const failed = files.filter((f) => !output.includes(`${f} validates`)).map((f) => `${f}:\n${readFileSync(f, 'utf8')}`);
  return { failed, output };
}

describe('every CSTA XML document the encoder writes validates against the XSD (xmllint)', () => {
  it('has xmllint', () => {
    const r = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
    expect(r.error, 'xmllint missing: install libxml2-utils (scripts/ensure-system-deps.sh)').toBeUndefined();
    expect(r.stdout + r.stderr).toMatch(/libxml/);
  });

  for (const edition of EDITIONS) {
    it(`every request, response, event and error sample in ${edition}`, () => {
      const docs = allSampleMessages().map((m) => encodeCsta(m, edition));
      expect(docs.length).toBeGreaterThan(90);
      const { failed, output } = validate(edition, docs);
      expect(failed, output.split('\n').filter((l) => !l.endsWith(' validates')).join('\n')).toEqual([]);
    });
  }

  it('catches a document that does not match (so the check above can fail)', () => {
    const ns = namespaceOf('ed5');
    const wrong = [
      `<MakeCall xmlns="${ns}"><callingDevice>1</callingDevice></MakeCall>`,
      `<MakeCall xmlns="${ns}"><calledDirectoryNumber>2</calledDirectoryNumber><callingDevice>1</callingDevice></MakeCall>`,
      `<SetDoNotDisturb xmlns="${ns}"><device>1</device><doNotDisturbOn>yes</doNotDisturbOn></SetDoNotDisturb>`,
      `<DeliveredEvent xmlns="${ns}"><monitorCrossRefID>1</monitorCrossRefID><connection><callID>1</callID></connection><alertingDevice><deviceIdentifier>1</deviceIdentifier></alertingDevice><callingDevice><notKnown/></callingDevice><calledDevice><notKnown/></calledDevice><lastRedirectionDevice><notKnown/></lastRedirectionDevice><cause>noSuchCause</cause></DeliveredEvent>`,
      `<MonitorStart xmlns="urn:other"><monitorObject><deviceObject>1</deviceObject></monitorObject></MonitorStart>`,
    ];
    expect(validate('ed5', wrong).failed).toHaveLength(wrong.length);
  });
});
