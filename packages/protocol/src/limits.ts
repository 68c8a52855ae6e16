/** Limits on what the collector accepts; they match Segment's HTTP API so existing senders fit. */
export const LIMITS = {
  /** Largest request body, in bytes (Segment: 500 KB per batch). */
  maxBodyBytes: 500 * 1024,
  /** Largest single message, serialised, in bytes (Segment: 32 KB). */
  maxMessageBytes: 32 * 1024,
  /** Most messages in one batch. */
  maxBatchMessages: 2500,
  /** Longest id or name (messageId, userId, anonymousId, event, name). */
  maxIdLength: 255,
  /** Longest URL kept in the page context. */
  maxUrlLength: 4096,
  /** Longest user agent kept. */
  maxUserAgentLength: 1024,
  /**
   * Conversion values go to destinations only from 0 up to (not including) this: a negative or
   * astronomical amount is a bug or a forgery, never a sale, and would wreck the reported revenue.
   */
  maxConversionValue: 1e9,
} as const;
