import { describe, expect, it } from 'vitest';
import { withLongContextTextsCut } from './long-context-texts.js';

describe('withLongContextTextsCut', () => {
  it('cuts a user agent to 1,024 characters and page texts to theirs', () => {
    const cut = withLongContextTextsCut({
      type: 'page',
      context: { userAgent: 'u'.repeat(3000), page: { url: 'h'.repeat(5000), title: 't'.repeat(2000) } },
    }) as { context: { userAgent: string; page: { url: string; title: string } } };
    expect([cut.context.userAgent.length, cut.context.page.url.length, cut.context.page.title.length]).toEqual([
      1024, 4096, 1024,
    ]);
  });

  it('never splits an emoji in half where the cut falls inside it', () => {
    const cut = withLongContextTextsCut({ type: 'page', context: { userAgent: `${'a'.repeat(1023)}😀tail` } }) as {
      context: { userAgent: string };
    };
    expect(cut.context.userAgent).toBe('a'.repeat(1023));
  });

  it('gives the message back as it came when nothing is too long', () => {
    const message = { type: 'page', context: { userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example/' } } };
    expect(withLongContextTextsCut(message)).toBe(message);
  });
});
