import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkNumber, lintRules, compileRules } from '../main/engine/rules';
import { validateLocation } from '../main/engine/location/location';
import { checkSipLine, compileSipFilter } from '../main/engine/sip-filter';
import { parseImport, previewImport } from '../main/engine/lines-io/preview';
import { checkLine, checkLines, panasonicConnectionSchema, cmeConnectionSchema, cmeAdvancedSchema } from '../shared/model/instance';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { codedProblem, detailProblem, linesRowProblem, problemText, ruleIssueProblem, zodProblem, type Problem } from '../renderer/src/i18n/problems';
import { causeProblem, coded, PROBLEM_CODES, type Coded } from '../shared/problems';
import { tooLarge } from '../main/engine/lines-io';
import { LINES_IMPORT_MAX_BYTES } from '../shared/api/lines-io';
import { validate, CONNECTION_SCHEMAS, connectionExtra } from '../renderer/src/components/instances/fields';

// Main's real problems go through the renderer's translation by their codes, so a code without a text fails here.
const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: 'en', interpolation: { escapeValue: false } });
});
const inGerman = (p: Problem | Coded | string) => problemText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k), p);
const inEnglish = (p: Problem | Coded | string) => problemText((k, o) => i18n.t(k, { ...o, lng: 'en' }), (k) => i18n.exists(k), p);

function expectTranslated(p: Problem) {
  expect(p.key, `no key for "${p.text}"`).not.toBe('');
  expect(i18n.exists(`problems.${p.key}`, { lng: 'de', fallbackLng: [] })).toBe(true);
  expect(inGerman(p)).not.toBe(p.text);
}

describe('German texts for problems found while typing', () => {
  it('an out-of-range port reads "muss zwischen 1 und 65535 liegen" and stays as before in English', () => {
    const r = cmeConnectionSchema.safeParse({ host: 'cme', axlPort: 70000 });
    const p = zodProblem(r.error!.issues[0]!);
    expect(inGerman(p)).toBe('Der AXL-Port muss zwischen 1 und 65535 liegen');
    expect(inEnglish(p)).toBe('AXL port must be 1-65535');
  });

  it('interval bounds name the seconds from the schema', () => {
    const r = cmeAdvancedSchema.safeParse({ snapshotInterval: 2, updateLinesInterval: 100_000 });
    const german = r.error!.issues.map((i) => inGerman(zodProblem(i)));
    expect(german).toEqual(['Mindestens 10 Sekunden', 'Höchstens 86400 Sekunden']);
  });

  it('the connection form shows German per field, including the cross-field checks', () => {
    const problems = validate(CONNECTION_SCHEMAS.panasonic, { mode: 'direct', host: '', port: 0, tls: true, user: 'admin' }, connectionExtra('panasonic'), inGerman);
    expect(problems).toEqual({
      port: 'Der Port muss zwischen 1 und 65535 liegen',
      host: 'Der Hostname darf nicht leer sein',
      tls: 'TLS gibt es nur über den CSTA-Multiplexer',
    });
  });

  it('an empty port field asks for a number', () => {
    const r = panasonicConnectionSchema.safeParse({ port: Number.NaN });
    expect(inGerman(zodProblem(r.error!.issues[0]!))).toBe('Bitte eine Zahl eingeben');
  });
});

describe('every coded problem and cause has a sentence in both languages', () => {
  it('each code of the catalogue is worded in English and German', () => {
    // a sentence with a count exists as its plural forms only (code_one, code_other), as problemText reads it
    const has = (key: string, lng: string) => i18n.exists(`problems.${key}`, { lng, fallbackLng: [] });
    for (const code of PROBLEM_CODES) {
      for (const lng of ['de', 'en']) expect(has(code, lng) || (has(`${code}_one`, lng) && has(`${code}_other`, lng)), `${lng} ${code}`).toBe(true);
    }
  });

  it('a SIP or CSTA XML cause inside a phone problem reads in German, not as its code', () => {
    const lost = coded('uacsta.dialogLost', { mac: '001122334455', cause: causeProblem('SIP_TRANSACTION_TIMEOUT') });
    expect(inGerman(lost)).toBe('Der CSTA-Dialog zu Telefon 001122334455 wurde beendet (eine SIP-Anfrage blieb rechtzeitig unbeantwortet). Er wird wieder geöffnet, solange das Telefon angemeldet ist.');
    expect(inEnglish(coded('uacsta.dialogFailed', { mac: 'aa', cause: causeProblem('CSTA_XML_MALFORMED') }))).toContain('(the other side sent CSTA XML that cannot be read)');
    expect(inGerman(causeProblem('EWHATEVER'))).toBe('Ursache EWHATEVER');
  });
});

describe('German texts for rule-engine findings', () => {
  it('a shadowed rule names the earlier rule that wins', () => {
    const issues = lintRules(compileRules([{ search: '^0(.*)$', replace: '\\1' }, { search: '^0(.*)$', replace: '+49\\1' }]));
    const shadowed = issues.find((i) => i.code === 'SHADOWED')!;
    expect(inGerman(ruleIssueProblem(shadowed))).toBe('Regel 2 greift nie: Regel 1 hat dasselbe Muster und steht davor');
  });

  it('a rule an earlier, broader pattern always wins over names that pattern in German', () => {
    const issues = lintRules(compileRules([{ search: '^0(.*)', replace: '\\1' }, { search: '^0891(.*)', replace: '+49891\\1' }]));
    const shadowed = issues.find((i) => i.code === 'SHADOWED')!;
    expect(inGerman(ruleIssueProblem(shadowed))).toBe('Regel 2 greift nie: Jede Nummer, auf die sie passt, erfasst schon Regel 1 („^0(.*)“), die davor steht');
  });

  it('every lint and check code the engine produces has a German sentence with its facts', () => {
    const rules = [
      { search: '0049', replace: '+49\\d' },
      { search: '^(0+)+$', replace: '' },
      { search: '^\\d{3}$', replace: '\\2' },
      { search: '^(+49', replace: 'x' },
      { search: '0 89', replace: '\\1', mode: 'text' as const },
      { search: '.*', replace: 'a' },
      { search: '.*', replace: 'a' },
    ];
    const issues = lintRules(compileRules(rules));
    const codes = new Set(issues.map((i) => i.code));
    for (const code of ['UNANCHORED_START', 'UNANCHORED_END', 'REPLACE_BACKSLASH', 'BACKTRACKING', 'SUPPRESSES', 'DIALECT_ESCAPE', 'DIALECT_BRACE', 'GROUP_MISSING', 'PATTERN_INVALID', 'TEXT_LITERAL_GROUP', 'TEXT_NEVER_MATCHES', 'MATCHES_EMPTY', 'SHADOWED']) {
      expect(codes, code).toContain(code);
    }
    for (const i of issues) expectTranslated(ruleIssueProblem(i, rules[(i.rule ?? 1) - 1]));
    const dialect = issues.find((i) => i.code === 'DIALECT_ESCAPE')!;
    expect(inGerman(ruleIssueProblem(dialect, rules[2]))).toContain('„\\d“');
    const invalid = issues.find((i) => i.code === 'PATTERN_INVALID')!;
    expect(inGerman(ruleIssueProblem(invalid))).toMatch(/^Regel 4: ungültiges Muster an Position \d+/);
  });

  it('an invalid pattern says what is wrong and the likely fix in German', () => {
    const bad = ['(0', '0)', '^+49', '[0-9', '[9-0]', '0\\', '0*?'];
    const issues = lintRules(compileRules(bad.map((search) => ({ search, replace: '' })))).filter((i) => i.code === 'PATTERN_INVALID');
    expect(issues).toHaveLength(bad.length);
    const german = issues.map((i) => inGerman(ruleIssueProblem(i)));
    for (const text of german) expect(text).not.toMatch(/never|nothing|closes|runs backwards|needs a backslash|directly follows|lone/);
    expect(german[2]).toBe('Regel 3: ungültiges Muster an Position 2 (*+ operand could be empty): „+“ wiederholt etwas, das leer sein kann (ein wörtliches „+“ braucht einen Backslash: ^\\+ statt ^+); die Regel wird übersprungen');
    expect(german[4]).toContain('„9-0“ ist verkehrt herum (schreiben Sie 0-9)');
  });

  it('a partial match in the check says which characters matched', () => {
    const trace = checkNumber([{ search: '89', replace: 'x' }], '08912');
    const partial = trace.warnings.find((w) => w.code === 'PARTIAL_MATCH')!;
    expect(inGerman(ruleIssueProblem(partial))).toBe('Regel 1 passte nur auf die Zeichen 2 bis 3 von 5 („89“); alles außerhalb fehlt in der Ausgabe');
  });
});

describe('German texts for location, SIP filter, lines and imports', () => {
  it('location problems keep the offending text and its position', () => {
    const problems = validateLocation({ ranges: '100-199, 150, abc, 300-200', useLocation: true, location: '4989', display: 'internal', accessCode: '0', nationalPrefix: '0', internationalPrefix: '00' });
    expect(problems.length).toBeGreaterThanOrEqual(4);
    for (const p of problems) expectTranslated(codedProblem(p));
    expect(problems.map((p) => inGerman(p))).toContain('„abc“ an Position 15: erwartet wird eine Nebenstelle wie 300 oder ein Bereich wie 100-199');
  });

  it('a SIP-filter rule with a bad pattern is explained in German', () => {
    const result = checkSipLine(compileSipFilter({ mode: 'rules', rules: [{ kind: 'nameRegex', pattern: '(SIP' }] }), { name: 'x', number: '1' });
    expect(result.errors).toHaveLength(1);
    const e = result.errors[0]!;
    expect(inGerman({ code: 'sip.invalidPattern', params: e.params, message: e.message })).toMatch(/^SIP-Filterregel 1: ungültiges Muster „\(SIP“ an Position 1/);
  });

  it('bad line values and import rows are explained in German', () => {
    const line = checkLine('panasonic', { number: '12a', name: 'x', deviceId: 'SEP1', mobile: 'y' });
    for (const p of line) expectTranslated(codedProblem(p));
    const control = checkLine('panasonic', { number: '100', name: 'Desk\u0000' });
    expect(control).toHaveLength(1);
    expect(inGerman(control[0])).toBe('Der Name enthält das Steuerzeichen U+0000, das in keinem Leitungsfeld stehen darf');
    const csv = 'number,name,colour\n100,A,red\n100,B,blue\n20x,C,green\n"7,D\n';
    const preview = previewImport([], parseImport(new TextEncoder().encode(csv), 'csv'), 'panasonic');
    const all = [...preview.errors, ...preview.warnings];
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const e of all) expectTranslated(linesRowProblem(e));
  });

  it('duplicate lines in a CME import name the earlier file line or instance line in German', () => {
    const current = [{ number: '200', name: 'Old', deviceId: 'SEP00112233AABB' }];
    const csv = 'number,name,deviceId\n100,A,SEP001122334455\n100,B,SEP001122334455\n201,C,SEP00112233AABB\n';
    const preview = previewImport(current, parseImport(new TextEncoder().encode(csv), 'csv'), 'cme');
    expect(preview.errors.length).toBeGreaterThanOrEqual(2);
    for (const e of preview.errors) expectTranslated(linesRowProblem(e));
    const listProblems = checkLines('cme', [
      { number: '1', name: 'a', deviceId: 'SEP001122334455' },
      { number: '1', name: 'b', deviceId: 'SEP001122334455' },
      { number: '2', name: 'c', deviceId: 'SEP001122334455' },
    ]);
    expect(listProblems.map((p) => inGerman(p))).toEqual([
      'Die Nummer 1 auf Gerät SEP001122334455 kommt doppelt vor (zuerst in Zeile 1)',
      'Das Gerät SEP001122334455 wird schon von Zeile 1 verwendet',
    ]);
  });

  it('settings details from main get a German sentence from their codes; details without one stay in English', () => {
    expect(inGerman(detailProblem({ path: 'connection.port', message: 'port must be 1-65535', issue: { code: 'too_big', origin: 'number', maximum: 65535 } }))).toBe('Der Port muss zwischen 1 und 65535 liegen');
    expect(inGerman(detailProblem({ path: 'connection.tls', message: 'TLS is only available through the CSTA multiplexer', problem: { code: 'validation.tlsMux', message: 'TLS is only available through the CSTA multiplexer' } }))).toBe('TLS gibt es nur über den CSTA-Multiplexer');
    expect(inGerman(detailProblem({ path: 'x', message: 'something new from main' }))).toBe('something new from main');
  });
});

describe('German texts for coded import problems', () => {
  it('a control character names the file line, the field and the character in German and English', () => {
    const p = previewImport([], parseImport(new TextEncoder().encode('100,Ok\n101,Bad\u0000name\n'), 'text'), 'panasonic');
    const problem = linesRowProblem(p.errors[0]!);
    expectTranslated(problem);
    expect(inGerman(problem)).toBe('Das Feld Name enthält das Steuerzeichen U+0000, das in keinem Leitungsfeld stehen darf');
    expect(inEnglish(problem)).toBe('the name holds the control character U+0000, which no line field may contain');
  });

  it('the size limit is named in the advice of LINES_FILE_TOO_LARGE', () => {
    const details = tooLarge(LINES_IMPORT_MAX_BYTES + 1).details as Record<string, unknown>;
    expect(i18n.t('errors.LINES_FILE_TOO_LARGE', { ...details, lng: 'de' })).toContain('höchstens 64 MB');
    expect(i18n.t('errors.LINES_FILE_TOO_LARGE', { ...details, lng: 'en' })).toContain('at most 64 MB');
  });
});
