import { describe, expect, it } from 'vitest';
import { defaultLayout, defaultVoiceConfig } from '../../sim/cme/model';
import { CmeXmlService } from '../../sim/cme/xml-api';
import { parseXml } from '../xsi/xml';
import { readPlain } from './reader';
import { requestDocument, responseDocument } from './xml';

/** The general reader's tree for the document, as parseDocument built it before the fast reader. */
const general = (doc: string) => parseXml(doc);

describe('the fast reader of plain XML API documents', () => {
  it('reads every request and answer the simulator exchanges exactly as the general reader does', () => {
    const sim = new CmeXmlService(defaultLayout(6), { user: 'u', password: 'p', level: 15, routerName: 'r', voice: defaultVoiceConfig() }) as unknown as { handlers: Record<string, (r: object) => string> };
    const asks: Array<[string, Array<[string, string]>]> = [
      ['ISgetGlobal', []],
      ['ISgetDevice', [['ISKeyword', 'all']]],
      ['ISgetDevice', [['ISKeyword', 'allTag']]],
      ['ISgetDevice', [['ISDevID', '1']]],
      ['ISgetExtension', [['ISKeyword', 'all']]],
      ['ISgetExtension', [['ISExtID', '2']]],
      ['ISgetUserProfile', [['ISKeyword', 'all']]],
      ['ISgetSipDevice', [['ISKeyword', 'all']]],
      ['ISgetSessionServer', []],
      ['ISgetDevice', [['ISKeyword', 'nonsense']]],
      ['ISexecCLI', [['CLI', 'ephone-dn 1'], ['CLI', 'name A&B <x> "q" \'a\'']]],
    ];
    let compared = 0;
    for (const [op, selectors] of asks) {
      const request = requestDocument(op, selectors);
      const selectorsNode = Object.fromEntries(selectors.map(([k, v]) => [k, v]));
      for (const doc of [request, responseDocument(`${op}Response`, sim.handlers[op](selectorsNode))]) {
        const fast = readPlain(doc);
        expect(fast, doc).toBeDefined();
        expect(fast).toEqual(general(doc));
        compared++;
      }
    }
    expect(compared).toBe(asks.length * 2);
  });

  it('reads attributes, empty elements, repeats and entities like the general reader', () => {
    const docs = [
      '<response><a x="1" y=\'2\'/><a>t</a><b></b><c x="&amp;">  v &lt; w  </c><d><e/><e>1</e><e><f/></e></d></response>',
      '<?xml version="1.0"?>\n<p:root xmlns:p="urn:x" xmlns="urn:y" p:type="p:T"><p:in>0049</p:in></p:root>',
      '<r>  </r>',
      '<r><x>&quot;&apos;&gt;</x></r>',
    ];
    for (const doc of docs) expect(readPlain(doc), doc).toEqual(general(doc));
  });

  it('leaves everything unusual to the general reader', () => {
    const unusual = [
      '<a><!-- c --></a>',
      '<a><![CDATA[x]]></a>',
      '<a>&#65;</a>',
      '<a>&nbsp;</a>',
      '<a>t<b/></a>',
      '<a><b/>t</a>',
      '<a></b>',
      '<a>',
      '<a/><b/>',
      '<a/>',
      'x<a></a>',
      '<a></a>x',
      '<a x="1" x="2"></a>',
      '<a x=" 1"></a>',
      '<a x=1></a>',
      '<__proto__><b/></__proto__>',
      '<a><__proto__/></a>',
      '<a>\u0001</a>',
      '<!DOCTYPE a><a></a>',
    ];
    for (const doc of unusual) expect(readPlain(doc), doc).toBeUndefined();
  });
});
