import { describe, expect, it } from 'vitest';
import { notAClick } from './click-filter.js';

const SNAPCHAT_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.80.0.35 (like Safari/8617.2.4.10.8, panda)';

describe('notAClick', () => {
  const fans: [string, string][] = [
    ["Snapchat's in-app browser", SNAPCHAT_IOS],
    ['a CUBOT phone', 'Mozilla/5.0 (Linux; Android 10; CUBOT_X19) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36'],
    [
      'headless Chromium',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/141.0 Safari/537.36',
    ],
  ];
  for (const [name, userAgent] of fans) {
    it(`counts ${name} as a click`, () => expect(notAClick('GET', { 'user-agent': userAgent })).toBeUndefined());
  }

  const others: [string, string | undefined, Record<string, string>, string][] = [
    ['a HEAD request', 'HEAD', { 'user-agent': SNAPCHAT_IOS }, 'head'],
    ['a speculative prefetch', 'GET', { 'user-agent': SNAPCHAT_IOS, 'sec-purpose': 'prefetch;prerender' }, 'prefetch'],
    ['Googlebot', 'GET', { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }, 'bot'],
    ["Slack's link expander", 'GET', { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' }, 'bot'],
    ["Facebook's preview fetcher", 'GET', { 'user-agent': 'facebookexternalhit/1.1' }, 'bot'],
    ['curl', 'GET', { 'user-agent': 'curl/8.5.0' }, 'bot'],
    ['a request without a user agent', 'GET', {}, 'no_user_agent'],
  ];
  for (const [name, method, headers, reason] of others) {
    it(`does not count ${name}`, () => expect(notAClick(method, headers)).toBe(reason));
  }
});
