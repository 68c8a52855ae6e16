/**
 * Limits on what the collector accepts. Segment documents 500 KB per batch and 32 KB per message,
 * but the leading clients measure wrongly (analytics-node counts characters, not bytes, and
 * overshoots): the defaults leave room, so that no batch is lost for a few bytes.
 */
export const LIMITS = {
  /** Default largest request body, decompressed, in bytes (the collector's `--max-batch-bytes`). */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Default largest single message, serialised, in bytes (the collector's `--max-message-bytes`). */
  maxMessageBytes: 64 * 1024,
  /**
   * Default deepest nesting of objects and arrays in one message, the message itself being level 1
   * (the collector's `--max-json-depth`). Real events nest a few levels; thousands would cost every
   * later JSON step (SQLite's JSON functions refuse them).
   */
  maxJsonDepth: 32,
  /** Most messages in one batch. */
  maxBatchMessages: 2500,
  /** Longest id or name (messageId, userId, anonymousId, event, name). */
  maxIdLength: 255,
  /** Longest URL (and path, query, referrer) kept in the page context; longer ones are cut to it. */
  maxUrlLength: 4096,
  /** Longest page title kept in the page context; longer ones are cut to it. */
  maxPageTitleLength: 1024,
  /** Longest user agent kept. */
  maxUserAgentLength: 1024,
  /**
   * Conversion values go to destinations only from 0 up to (not including) this: a negative or
   * astronomical amount is a bug or a forgery, never a sale, and would wreck the reported revenue.
   */
  maxConversionValue: 1e9,
} as const;
