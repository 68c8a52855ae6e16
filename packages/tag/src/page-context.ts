import type { PageContext } from '@datafirst/protocol';

/** The page context of a call made on `url`: the URL without its fragment, its path and query. */
export function pageContext(url: string, title: string, referrer: string): Required<PageContext> {
  const page = new URL(url);
  // The fragment never names another page, and it can carry secrets (OAuth implicit-flow tokens).
  page.hash = '';
  return { url: page.href, path: page.pathname, referrer, title, search: page.search };
}
