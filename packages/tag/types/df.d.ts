/**
 * Types for `window._df`, the Datafirst browser tag.
 *
 * Use them in a site's TypeScript with `/// <reference types="@datafirst/tag/types" />` or
 * `import type { Datafirst } from '@datafirst/tag/types'`.
 */

/** Free-form properties of a `track` or `page` call; any JSON-serialisable values. */
export type Properties = Record<string, unknown>;

/** What is known about a person. Raw values: the collector's worker normalises and hashes them. */
export interface Traits {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  gender?: string;
  /** `YYYY-MM-DD`. */
  birthday?: string;
  [trait: string]: unknown;
}

/** The visitor's consent choices, persisted on this device and sent with every later call. */
export interface ConsentChoice {
  /** Whether events may be forwarded to advertising platforms such as Snapchat. */
  advertising: boolean;
}

/** The public API of the tag. Every method returns at once and never throws. */
export interface Datafirst {
  /** Records a page view; the tag adds the URL, path, referrer, title and query. */
  page(name?: string, properties?: Properties): void;
  /** Records a page view with properties and no name. */
  page(properties: Properties): void;
  /** Records an event such as `Order Completed`. */
  track(event: string, properties?: Properties): void;
  /** Names the visitor (kept for later calls) and sends these traits with this call. */
  identify(userId?: string | null, traits?: Traits): void;
  /** Sends traits for the visitor without naming them. */
  identify(traits: Traits): void;
  /** Forgets the visitor: the user id and the `_dfid`, `_scid` and `_scclid` cookies. */
  reset(): void;
  /** Records the visitor's consent choice. */
  consent(choice: ConsentChoice): void;
}

/** The names of the API's methods, in the order the snippet defines them. */
export type DatafirstMethod = keyof Datafirst;

/**
 * One call recorded by the snippet before `_df.js` loaded: the method, its arguments, when it was
 * made (milliseconds since the epoch) and the page URL at that moment.
 */
export type DatafirstStubCall = [method: DatafirstMethod, args: unknown[], time: number, url: string];

/** The snippet's stand-in for `_df`: an array of recorded calls that also has the API's methods. */
export type DatafirstStub = DatafirstStubCall[] & Datafirst;

declare global {
  /** The Datafirst tag, defined by the snippet (a queue) and replaced by `_df.js` when it loads. */
  var _df: Datafirst;
}
