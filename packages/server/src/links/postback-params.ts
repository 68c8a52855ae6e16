import { LIMITS, type Traits } from '@datafirst/protocol';
import { isSnapCurrency } from '@datafirst/snapchat';
import type { ConversionKind } from '@datafirst/store';
import { parseConversionKind, POSTBACK_EVENT_NAMES } from './conversion-events.js';

/** A postback's parameters, checked. */
export interface PostbackParams {
  clickId: string;
  kind: ConversionKind;
  value: number | null;
  currency: string | null;
  /** Null when the network sent none: the conversion then cannot be recognised if it comes again. */
  txid: string | null;
  userId?: string;
  /** Personal data the network passed for better matching (hashed before it leaves). */
  traits: Traits;
}

export type PostbackParamsCheck = { ok: true; params: PostbackParams } | { ok: false; errors: string[] };

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
// The parameter names offer networks' postback templates use for the fan's details.
const TRAIT_PARAMS: readonly [string, keyof Traits][] = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['zip', 'zip'],
  ['city', 'city'],
  ['state', 'state'],
  ['country', 'country'],
];

// Offer networks fill unknown macros with an empty string or leave the macro itself ("{payout}").
const MACRO = /^[{[]\w*[}\]]$/;

/**
 * A parameter's text, trimmed; undefined when it is absent, empty or a macro left in. A value
 * that is no text (a JSON body's object, say) or holds a NUL is refused, never dropped in silence:
 * a txid dropped would count a retried conversion twice.
 */
function given(input: Record<string, unknown>, name: string, errors: string[]): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    errors.push(`${name}: must be text or a number`);
    return undefined;
  }
  if (value.includes('\0')) {
    errors.push(`${name}: holds the NUL character, which no text may hold`);
    return undefined;
  }
  const text = value.trim();
  return text === '' || MACRO.test(text) ? undefined : text;
}

/** Why a required parameter is missing: never sent, or sent as a macro the network did not replace. */
function missing(input: Record<string, unknown>, name: string, what: string): string {
  const value = typeof input[name] === 'string' ? input[name].trim() : '';
  return MACRO.test(value)
    ? `${name}: the macro ${JSON.stringify(value)} was not replaced by the offer network; put its own macro for ${what} there`
    : `${name}: required: ${what}`;
}

/**
 * Reads `click_id`, `event`, `value`, `currency`, `txid` and the optional fan details
 * (`user_id`, `email`, `phone`, `first_name`, `last_name`, `zip`, `city`, `state`, `country`)
 * from a postback's query and body. Returns every problem at once.
 */
export function parsePostbackParams(input: Record<string, unknown>): PostbackParamsCheck {
  const errors: string[] = [];
  // A required parameter refused for its type is not also reported missing.
  let before = errors.length;
  const clickId = given(input, 'click_id', errors);
  if (clickId === undefined) {
    if (errors.length === before) errors.push(missing(input, 'click_id', 'the click id the smart link passed to the offer'));
  } else if (clickId.length > 64) errors.push('click_id: at most 64 characters');

  before = errors.length;
  const event = given(input, 'event', errors);
  const kind = event === undefined ? undefined : parseConversionKind(event);
  if (kind === undefined && errors.length === before)
    errors.push(
      event === undefined
        ? missing(input, 'event', `the conversion: one of ${POSTBACK_EVENT_NAMES.join(', ')}`)
        : `event: ${JSON.stringify(event)} is not known; one of ${POSTBACK_EVENT_NAMES.join(', ')}`,
    );

  const rawValue = given(input, 'value', errors);
  let value: number | null = null;
  if (rawValue !== undefined) {
    if (!DECIMAL.test(rawValue))
      errors.push(`value: ${JSON.stringify(rawValue)} is not an amount; use digits and a decimal point, like 9.99`);
    else if (Number(rawValue) >= LIMITS.maxConversionValue)
      errors.push(`value: ${rawValue} is out of range; amounts are from 0 to under ${LIMITS.maxConversionValue}`);
    else value = Number(rawValue);
  }

  const rawCurrency = given(input, 'currency', errors);
  let currency: string | null = null;
  if (rawCurrency !== undefined) {
    if (!/^[A-Za-z]{3}$/.test(rawCurrency))
      errors.push(`currency: ${JSON.stringify(rawCurrency)} is not a three-letter currency code`);
    else if (!isSnapCurrency(rawCurrency.toUpperCase()))
      errors.push(`currency: ${JSON.stringify(rawCurrency)} is not an ISO 4217 currency code (like USD or EUR)`);
    else currency = rawCurrency.toUpperCase();
  }

  const txid = given(input, 'txid', errors) ?? null;
  if (txid !== null && txid.length > 200) errors.push('txid: at most 200 characters');

  const userId = given(input, 'user_id', errors);
  if (userId !== undefined && userId.length > LIMITS.maxIdLength)
    errors.push(`user_id: at most ${LIMITS.maxIdLength} characters`);
  const traits: Traits = {};
  for (const [param, trait] of TRAIT_PARAMS) {
    const text = given(input, param, errors);
    if (text === undefined) continue;
    if (text.length > 255) errors.push(`${param}: at most 255 characters`);
    else traits[trait] = text;
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, params: { clickId: clickId!, kind: kind!, value, currency, txid, userId, traits } };
}
