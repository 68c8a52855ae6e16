// Segment's legacy analytics-node 6 ships no types: the part of its public API the client tests use.
declare module 'analytics-node' {
  interface LegacyOptions {
    host?: string;
    path?: string;
    flushAt?: number;
    flushInterval?: number;
    retryCount?: number;
    errorHandler?: (error: unknown) => void;
  }
  type Callback = (error?: Error) => void;
  export default class Analytics {
    constructor(writeKey: string, options?: LegacyOptions);
    identify(message: object, callback?: Callback): this;
    page(message: object, callback?: Callback): this;
    screen(message: object, callback?: Callback): this;
    group(message: object, callback?: Callback): this;
    alias(message: object, callback?: Callback): this;
    track(message: object, callback?: Callback): this;
    flush(callback?: Callback): Promise<unknown>;
  }
}
