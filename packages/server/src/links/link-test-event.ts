import { randomUUID } from 'node:crypto';
import type { Conversion, Link, LinkClick } from '@datafirst/store';
import { BadRequest } from '../admin/admin-input.js';
import { LINK_EVENTS, plannedEvent, type LinkEvent, type LinkEventMap } from './conversion-events.js';
import { linkIntegrations } from './link-deliveries.js';
import { clickMessage, conversionMessage } from './link-messages.js';
import { integrationsOfLink, type LinkContext } from './link-context.js';

const refuse = (error: string) => new BadRequest([error]);

// Stands in for a fan in test events: documentation addresses (RFC 5737) and a recognisable agent.
const TEST_IP = '203.0.113.7';
const TEST_USER_AGENT = 'Mozilla/5.0 (Datafirst test event)';

/**
 * "Send test event": builds the chosen event as the link would send it, for each pixel the link
 * sends to, and sends it to Snapchat's validation endpoint, where it shows as a test event and is
 * not counted. Nothing is stored.
 */
export async function sendLinkTestEvent(options: LinkContext, link: Link, body: Record<string, unknown>, base: string) {
  const linkEvent = (body.event ?? 'click') as LinkEvent;
  if (!LINK_EVENTS.includes(linkEvent)) throw refuse(`event: one of ${LINK_EVENTS.join(', ')}`);
  const events = link.events as LinkEventMap;
  if (events[linkEvent] === null) throw refuse(`event: the link sends no Snapchat event for ${linkEvent}; map it to one first`);
  const value = body.value === undefined ? 9.99 : Number(body.value);
  if (!Number.isFinite(value) || value < 0) throw refuse('value: a number of at least 0');
  const currency =
    typeof body.currency === 'string' && /^[A-Za-z]{3}$/.test(body.currency)
      ? body.currency.toUpperCase()
      : (link.currency ?? 'USD');
  const scClickId = typeof body.sc_click_id === 'string' && body.sc_click_id !== '' ? body.sc_click_id : null;

  const now = new Date();
  const id = `test-${randomUUID()}`;
  const click: LinkClick = {
    id,
    linkId: link.id,
    sourceId: link.sourceId,
    adClickId: scClickId,
    ip: TEST_IP,
    userAgent: TEST_USER_AGENT,
    referrer: null,
    query: [],
    url: `${base}/go/${link.id}`,
    destination: link.destinationUrl,
    gpc: false,
    createdAt: now.toISOString(),
  };
  const planned = plannedEvent(linkEvent, events, id);
  const conversion: Conversion = {
    id: 0,
    sourceId: link.sourceId,
    linkId: link.id,
    clickId: id,
    txid: id,
    kind: linkEvent === 'new_subscriber' ? 'subscribe' : linkEvent.endsWith('purchase') ? 'purchase' : 'message',
    value,
    currency,
    withinWindow: true,
    receivedAt: now.toISOString(),
  };
  const message =
    linkEvent === 'click'
      ? clickMessage(link, click, planned, true, now)
      : conversionMessage(link, click, conversion, planned, { traits: {}, txidGiven: false }, true, now);

  const { own, ofSource } = await integrationsOfLink(options, link);
  const pixels = linkIntegrations(message, own, ofSource, link.includeSourceIntegrations, options.destinations);
  if (pixels.length === 0) throw refuse('integrations: the link sends to no pixel; attach an enabled integration first');
  const results = await Promise.all(
    pixels.map(async (integration) => {
      const head = { integration_id: integration.id, integration_name: integration.name, pixel_id: integration.config.pixel_id };
      const destination = options.destinations.get(integration.vendor);
      if (!destination?.validate) return { ...head, error: `${integration.vendor} has no endpoint for test events` };
      const built = destination.build(message, integration.config, { now });
      if (!built.ok) return { ...head, error: built.detail };
      const sent = await destination.validate(integration.config, [built.event]);
      return { ...head, request: sent.request, response: sent.response, outcome: sent.outcome };
    }),
  );
  return { link_id: link.id, event: linkEvent, snapchat_event: events[linkEvent], results };
}
