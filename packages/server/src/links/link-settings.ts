import { isSnapCurrency, isSnapEventName } from '@datafirst/snapchat';
import type { LinkPatch, OfferType } from '@datafirst/store';
import { DEFAULT_LINK_EVENTS, LINK_EVENTS, type LinkEventMap } from './conversion-events.js';
import { checkDestination } from './destination.js';

/** The sub-id parameter our click id travels in when a link names none. */
export const DEFAULT_CLICK_ID_PARAM = 'df_click_id';
/** Snapchat's default attribution window for swipe-ups, and so the window of a link that names none. */
export const DEFAULT_CONVERSION_WINDOW_DAYS = 28;
/** Longest conversion window a link may have. */
export const MAX_CONVERSION_WINDOW_DAYS = 365;
/** Most integrations one link may send to. */
export const MAX_LINK_INTEGRATIONS = 20;

const OFFER_TYPES: readonly OfferType[] = ['free_trial', 'tracking_link'];
// What offer networks accept in a sub-id parameter's name.
const PARAM_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

/** A link's settings as the admin API gives them, checked; fields not given are absent. */
export interface LinkSettings extends LinkPatch {
  sourceId?: string;
}

export type LinkSettingsCheck = { ok: true; settings: LinkSettings } | { ok: false; errors: string[] };

function has(body: Record<string, unknown>, key: string): boolean {
  return body[key] !== undefined;
}

/** Checks a link's event configuration over `base` (the defaults, or the link's current map). */
export function checkLinkEvents(input: unknown, base: LinkEventMap, errors: string[]): LinkEventMap | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push('events: an object of smart-link event → Snapchat event name or null');
    return undefined;
  }
  const events = { ...base };
  for (const [key, target] of Object.entries(input)) {
    if (!(LINK_EVENTS as readonly string[]).includes(key)) {
      errors.push(`events.${key}: not a smart-link event (known: ${LINK_EVENTS.join(', ')})`);
    } else if (target === null) {
      events[key as keyof LinkEventMap] = null;
    } else if (typeof target === 'string' && isSnapEventName(target.trim())) {
      events[key as keyof LinkEventMap] = target.trim().toUpperCase();
    } else {
      errors.push(
        `events.${key}: ${JSON.stringify(target)} is not a Snapchat event; use e.g. PURCHASE, CUSTOM_EVENT_1, or null for off`,
      );
    }
  }
  return events;
}

/**
 * Checks the fields of `POST /v1/admin/links` (`create`: required ones must be there, defaults
 * filled in) or `PATCH /v1/admin/links/:id` (only what is given). Returns every problem at once.
 * Whether the source and integrations exist is for the caller to check.
 */
export function checkLinkSettings(input: unknown, mode: 'create' | 'patch', currentEvents?: LinkEventMap): LinkSettingsCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['body: a JSON object'] };
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  const settings: LinkSettings = {};
  const create = mode === 'create';

  if (create && has(body, 'source_id')) {
    if (typeof body.source_id === 'string' && body.source_id !== '') settings.sourceId = body.source_id;
    else errors.push('source_id: a source id');
  }
  if (create || has(body, 'name')) {
    const name = body.name;
    if (typeof name === 'string' && name.trim() !== '' && name.length <= 200) settings.name = name.trim();
    else errors.push('name: a non-empty string of at most 200 characters');
  }
  if (create || has(body, 'destination_url')) {
    const destination = checkDestination(body.destination_url);
    if (destination.ok) settings.destinationUrl = destination.url;
    else errors.push(destination.error);
  }
  if (create || has(body, 'offer_type')) {
    const offerType = body.offer_type ?? 'tracking_link';
    if (OFFER_TYPES.includes(offerType as OfferType)) settings.offerType = offerType as OfferType;
    else errors.push(`offer_type: one of ${OFFER_TYPES.map((type) => `"${type}"`).join(', ')}`);
  }
  if (create || has(body, 'integrations')) {
    const ids = body.integrations ?? [];
    if (Array.isArray(ids) && ids.length <= MAX_LINK_INTEGRATIONS && ids.every((id) => typeof id === 'string' && id !== '')) {
      settings.integrationIds = [...new Set(ids as string[])];
    } else {
      errors.push(`integrations: an array of at most ${MAX_LINK_INTEGRATIONS} integration ids`);
    }
  }
  if (create || has(body, 'include_source_integrations')) {
    const include = body.include_source_integrations ?? true;
    if (typeof include === 'boolean') settings.includeSourceIntegrations = include;
    else errors.push('include_source_integrations: true or false');
  }
  if (create || has(body, 'click_id_param')) {
    const param = body.click_id_param ?? DEFAULT_CLICK_ID_PARAM;
    if (typeof param === 'string' && PARAM_NAME.test(param)) settings.clickIdParam = param;
    else errors.push('click_id_param: a parameter name of letters, digits, "_", "-", "." or "[]", at most 64 characters');
  }
  if (create || has(body, 'conversion_window_days')) {
    const days = body.conversion_window_days ?? DEFAULT_CONVERSION_WINDOW_DAYS;
    if (Number.isInteger(days) && (days as number) >= 1 && (days as number) <= MAX_CONVERSION_WINDOW_DAYS) {
      settings.conversionWindowDays = days as number;
    } else {
      errors.push(`conversion_window_days: a whole number of days from 1 to ${MAX_CONVERSION_WINDOW_DAYS}`);
    }
  }
  if (create || has(body, 'events')) {
    const events = checkLinkEvents(body.events ?? {}, currentEvents ?? { ...DEFAULT_LINK_EVENTS }, errors);
    if (events) settings.events = events;
  }
  if (create || has(body, 'currency')) {
    const currency = body.currency ?? null;
    if (currency === null) settings.currency = null;
    // The same check as a postback's currency: a code Snapchat refuses would fail every conversion.
    else if (typeof currency === 'string' && isSnapCurrency(currency.trim().toUpperCase()))
      settings.currency = currency.trim().toUpperCase();
    else errors.push('currency: an ISO 4217 currency code such as "USD", or null');
  }
  if (!create && has(body, 'archived')) {
    if (typeof body.archived === 'boolean') settings.archived = body.archived;
    else errors.push('archived: true or false');
  }
  const known = new Set([
    'name',
    'destination_url',
    'offer_type',
    'integrations',
    'include_source_integrations',
    'click_id_param',
    'conversion_window_days',
    'events',
    'currency',
    ...(create ? ['source_id'] : ['archived']),
  ]);
  for (const key of Object.keys(body)) {
    if (!known.has(key)) errors.push(`${key}: not a link setting${!create && key === 'source_id' ? ' that can change' : ''}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}
