// The paste-in snippet, built into dist/snippet.html; its budget is 300 bytes, so it is written for
// the minifier. It defines `_df` as an array of calls that also has the API's methods: each call
// records its method, arguments, time and URL, and `_df.js` replays it later with the context of
// the moment it was made. The collector fills in the two placeholders when it serves the snippet.
import type { DatafirstStub } from '../types/df.js';

((w: { _df?: DatafirstStub }, d: Document, stub?: DatafirstStub, script?: HTMLScriptElement) => {
  // Pasted twice, it does nothing twice.
  if (w._df) return;
  stub = w._df = [] as unknown as DatafirstStub;
  for (const method of ['page', 'track', 'identify', 'reset', 'consent'] as const) {
    stub[method] = (...args: unknown[]) => stub.push([method, args, Date.now(), location.href]);
  }
  // A script added by a script loads async already: no `async` attribute needed.
  script = d.createElement('script');
  script.src = '__DF_SRC__';
  script.dataset.writeKey = '__DF_WRITE_KEY__';
  d.head.append(script);
  stub.page();
})(window as unknown as { _df?: DatafirstStub }, document);
