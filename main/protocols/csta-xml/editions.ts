// ECMA-323 editions by namespace. Documents are read by local names whatever the namespace says (phones answer
// ed5 to ed3 requests, and Yealink spells some namespaces without the hyphen); a peer is written to in the
// edition configured for it.

export const EDITIONS = ['ed3', 'ed4', 'ed5'] as const;
export type CstaXmlEdition = (typeof EDITIONS)[number];

export const namespaceOf = (edition: CstaXmlEdition): string => `http://www.ecma-international.org/standards/ecma-323/csta/${edition}`;

const EDITION_NS = /^https?:\/\/www\.ecma-?international\.org\/standards\/ecma-323\/csta\/(ed\d+)\/?$/i;

/** The edition a namespace names (`ed3` … `ed9`, as written), or undefined for any other namespace. */
export function editionOf(namespace: string | undefined): string | undefined {
  return namespace ? EDITION_NS.exec(namespace.trim())?.[1].toLowerCase() : undefined;
}
