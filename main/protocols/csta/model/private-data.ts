// Vendor data (ECMA-269 §12.3, CSTAPrivateData) that this model carries without reading. Only a vendor module
// that knows the encoding reads it, so each item says in which form it is written.

export interface PrivateData {
  /**
   * `octets`: the standard's opaque string (hex). `ber`: one BER element (hex), a vendor's type in place of the
   * standard's `private NULL`. `xml`: an XML fragment (the content of ECMA-323's `<private>`).
   */
  format: 'octets' | 'ber' | 'xml';
  value: string;
}

/** What every request, result and event may carry beside its own members (ECMA-269 CSTACommonArguments). */
export interface WithPrivateData {
  privateData?: PrivateData[];
}
