/**
 * The currency codes Snapchat accepts: the 60 codes the Segment destination (co-maintained by
 * Snap) allows. Compared uppercased.
 */
export const SNAP_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'USD AED AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP GIP HKD HRK HUF IDR ILS INR JPY KRW KWD KZT LBP MXN ' +
    'MYR NGN NOK NZD PEN PHP PKR PLN QAR RON RUB SAR SEK SGD THB TRY TWD TZS UAH VND ZAR ALL BHD DZD GHS IQD ISK JOD ' +
    'KES MAD OMR XOF'
  ).split(' '),
);

/** True when `code` (any case) is a currency Snapchat accepts. */
export function isSnapCurrency(code: string): boolean {
  return SNAP_CURRENCIES.has(code.toUpperCase());
}
