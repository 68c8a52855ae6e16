/**
 * The currency codes Snapchat accepts: every active ISO 4217 alphabetic code (List One), as
 * RudderStack, Stape and Snap's own tag send any code. An earlier 60-code list, one partner's
 * whitelist, refused real currencies such as ARS. Funds codes (BOV, CLF, MXV, USN, …), precious
 * metals and the IMF and bond units are in List One and stay; XTS (testing) and XXX (no
 * currency) are left out, since a value in them means nothing. Withdrawn codes are gone: HRK
 * (euro, 2023), ZWL (replaced by ZWG, 2024), ANG (replaced by XCG, 2025) and BGN (euro, 2026).
 * Compared uppercased.
 */
export const SNAP_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD ' +
    'BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF ' +
    'DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG ' +
    'HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK ' +
    'LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN ' +
    'NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR ' +
    'SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP ' +
    'TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU ' +
    'XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG'
  ).split(' '),
);

/** True when `code` (any case) is a currency Snapchat accepts. */
export function isSnapCurrency(code: string): boolean {
  return SNAP_CURRENCIES.has(code.toUpperCase());
}
