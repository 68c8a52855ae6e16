import type { Message } from '@datafirst/protocol';
import type { ActionSource, SnapchatConfig } from './config.js';

/** Snap's native action sources, the only values Datafirst sends. */
export const ACTION_SOURCES: readonly ActionSource[] = ['WEB', 'MOBILE_APP', 'OFFLINE'];

// Snap also accepts Meta's names; we translate them on the way in so that only native values
// leave, as docs/snapchat-capi.md §3.1 decides.
const ALIASES: ReadonlyMap<string, ActionSource> = new Map([
  ['WEB', 'WEB'],
  ['WEBSITE', 'WEB'],
  ['MOBILE_APP', 'MOBILE_APP'],
  ['APP', 'MOBILE_APP'],
  ['OFFLINE', 'OFFLINE'],
  ['PHYSICAL_STORE', 'OFFLINE'],
]);

/** The native action source for a native value or Meta alias in any case, if it is one. */
export function toActionSource(value: unknown): ActionSource | undefined {
  return typeof value === 'string' ? ALIASES.get(value.trim().toUpperCase()) : undefined;
}

/**
 * The action source of one message: its own `context.actionSource` when it names one, else the
 * integration's, else WEB. An unknown per-message value is ignored rather than failing the event.
 */
export function resolveActionSource(message: Message, config: SnapchatConfig): ActionSource {
  return toActionSource(message.context?.actionSource) ?? toActionSource(config.action_source) ?? 'WEB';
}

/**
 * The asset an event of this action source is sent to: the Snap App ID for MOBILE_APP, the
 * Pixel ID otherwise. `undefined` when the integration has none for it.
 */
export function assetIdFor(actionSource: ActionSource, config: SnapchatConfig): string | undefined {
  const asset = actionSource === 'MOBILE_APP' ? config.snap_app_id : config.pixel_id;
  return typeof asset === 'string' && asset.trim() !== '' ? asset.trim() : undefined;
}
