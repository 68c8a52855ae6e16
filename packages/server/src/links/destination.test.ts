import { describe, expect, it } from 'vitest';
import { checkDestination, queryPairs, redirectUrl } from './destination.js';

describe('checkDestination', () => {
  const accepted: [string, string][] = [
    ['https://offer.example/landing?aff=7', 'https://offer.example/landing?aff=7'],
    ['  http://127.0.0.1:3000/land  ', 'http://127.0.0.1:3000/land'],
    ['https://offer.example', 'https://offer.example/'],
  ];
  for (const [input, url] of accepted) {
    it(`accepts ${input.trim()}`, () => expect(checkDestination(input)).toEqual({ ok: true, url }));
  }

  const refused: [unknown, string][] = [
    [undefined, 'destination_url: an absolute http(s) URL is required'],
    ['/relative/path', 'destination_url: "/relative/path" is not an absolute URL'],
    ['javascript:alert(1)', 'destination_url: must be http or https, not javascript'],
    ['ftp://files.example/x', 'destination_url: must be http or https, not ftp'],
    ['data:text/html,hi', 'destination_url: must be http or https, not data'],
    ['https://trusted.example@evil.example/', 'destination_url: must not contain a user name or password'],
    [`https://offer.example/?q=${'x'.repeat(2100)}`, 'destination_url: at most 2048 characters'],
  ];
  for (const [input, error] of refused) {
    it(`refuses ${String(input).slice(0, 40)}`, () => expect(checkDestination(input)).toEqual({ ok: false, error }));
  }
});

describe('redirectUrl', () => {
  it("keeps the destination's parameters and fragment, adds the click's, then the click id", () => {
    expect(redirectUrl('https://offer.example/land?aff=7#top', 'ScCid=abc&utm_source=snap', 'df_click_id', 'CID1')).toBe(
      'https://offer.example/land?aff=7&ScCid=abc&utm_source=snap&df_click_id=CID1#top',
    );
  });

  it("lets the destination's own parameters win over the click's, so an affiliate id cannot be taken over", () => {
    expect(redirectUrl('https://offer.example/?aff=7', 'aff=evil&x=1', 'sub1', 'C')).toBe(
      'https://offer.example/?aff=7&x=1&sub1=C',
    );
  });

  it('replaces a click id parameter already on the destination or the click URL with ours', () => {
    expect(redirectUrl('https://offer.example/?sub1=placeholder&a=1', 'sub1=forged', 'sub1', 'C')).toBe(
      'https://offer.example/?a=1&sub1=C',
    );
  });

  it('copies parameters exactly as they arrived, repeats and encodings included', () => {
    expect(redirectUrl('https://offer.example/', 'tag=a&tag=b&q=caf%C3%A9+bar&empty=&flag', 'p', 'C')).toBe(
      'https://offer.example/?tag=a&tag=b&q=caf%C3%A9+bar&empty=&flag&p=C',
    );
  });

  it('sends no click id when there is none (a bot), and leaves a bare destination bare', () => {
    expect(redirectUrl('https://offer.example/x', '', 'p', undefined)).toBe('https://offer.example/x');
    expect(redirectUrl('https://offer.example/x?p=keep', 'a=1', 'p', undefined)).toBe('https://offer.example/x?p=keep&a=1');
  });

  it('percent-encodes characters a Location header cannot carry', () => {
    expect(redirectUrl('https://offer.example/', 'n=a b', 'p', 'C')).toBe('https://offer.example/?n=a%20b&p=C');
  });
});

describe('queryPairs', () => {
  it('decodes every parameter in order, repeats included', () => {
    expect(queryPairs('ScCid=abc&utm_source=snap&tag=a&tag=b&q=caf%C3%A9+bar')).toEqual([
      ['ScCid', 'abc'],
      ['utm_source', 'snap'],
      ['tag', 'a'],
      ['tag', 'b'],
      ['q', 'café bar'],
    ]);
  });
});
