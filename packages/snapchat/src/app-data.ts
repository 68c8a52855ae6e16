import type { Message } from '@datafirst/protocol';
import type { SnapchatConfig } from './config.js';
import { mobileOs } from './mobile-os.js';

/** v3 `app_data`, required on MOBILE_APP events. */
export interface SnapAppData {
  app_id: string;
  /** 1 when the user allowed ad tracking (iOS ATT), else 0. */
  advertiser_tracking_enabled: 0 | 1;
  /** The 16 device strings of docs/snapchat-capi.md §3.5, `""` where unknown. */
  extinfo: string[];
}

function text(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? value.trim() : '';
}

// `i2` for iOS, `a2` for Android, as Snap's extinfo version. Without an OS name, a purely
// numeric store id is an App Store id (iOS), anything else a package name (Android).
function extinfoVersion(osName: unknown, appId: string): 'i2' | 'a2' {
  const os = mobileOs(osName);
  if (os !== undefined) return os === 'ios' ? 'i2' : 'a2';
  return /^\d+$/u.test(appId) ? 'i2' : 'a2';
}

/**
 * extinfo's short and long version. iOS: the marketing version ("2.3.1", Segment's `app.version`),
 * then the build ("231", `app.build`). Android, as in Snap's example (`"771", "Version 7.7.1"`):
 * the integer versionCode (Segment's `app.build`), then the versionName (`app.version`).
 */
function versionSlots(version: 'i2' | 'a2', app: { version?: unknown; build?: unknown } | undefined): [string, string] {
  const marketing = text(app?.version);
  const build = text(app?.build);
  return version === 'a2' ? [build, marketing] : [marketing, build];
}

/** The short name of `timeZone` at `at` ("PDT", "GMT+2"), or `""` for an unknown zone. */
function timeZoneAbbreviation(timeZone: string, at: Date): string {
  if (timeZone === '') return '';
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(at);
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/** The app's store id: the integration's `app_id`, else the bundle id the app reported. */
export function appIdOf(message: Message, config: SnapchatConfig): string | undefined {
  return text(config.app_id) || text(message.context?.app?.namespace) || undefined;
}

/**
 * v3 `app_data` for a MOBILE_APP message, from `context.app/device/os/screen/network/locale/timezone`;
 * `undefined` when no store id is known, because Snap cannot attribute an app event without it.
 */
export function buildAppData(message: Message, config: SnapchatConfig, eventTime: Date): SnapAppData | undefined {
  const appId = appIdOf(message, config);
  if (appId === undefined) return undefined;
  const context = message.context ?? {};
  const timeZone = text(context.timezone);
  const version = extinfoVersion(context.os?.name, appId);
  const extinfo = [
    version,
    text(context.app?.namespace) || appId,
    ...versionSlots(version, context.app),
    text(context.os?.version),
    text(context.device?.model),
    text(context.locale),
    timeZoneAbbreviation(timeZone, eventTime),
    text(context.network?.carrier),
    text(context.screen?.width),
    text(context.screen?.height),
    text(context.screen?.density),
    '', // CPU cores: not in the Segment context
    '', // storage size (GB): not in the Segment context
    '', // free storage (GB): not in the Segment context
    timeZone,
  ];
  return {
    app_id: appId,
    advertiser_tracking_enabled: context.device?.adTrackingEnabled === true ? 1 : 0,
    extinfo,
  };
}
