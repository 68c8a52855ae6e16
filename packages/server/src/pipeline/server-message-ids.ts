/**
 * The message ids the server makes for the events it produces itself, in a namespace public
 * ingest cannot write: a sender who could pre-send `pb:<txid>` would make the real postback a
 * duplicate (stored and sent once: the forged one), and Snapchat deduplicates by the same id.
 */
const SERVER_ID_KINDS = {
  /** A smart-link click: `click:<click id>`. */
  click: 'click',
  /** A postback's conversion: `pb:<txid>`. */
  postback: 'pb',
  /** A click's third inbound message: `msg3:<click id>`. */
  thirdMessage: 'msg3',
  /** A row of a warehouse sync: `sync:<row key>`. */
  sync: 'sync',
} as const;

/** What a server-made id is for. */
export type ServerIdKind = keyof typeof SERVER_ID_KINDS;

const RESERVED_PREFIXES = Object.values(SERVER_ID_KINDS).map((prefix) => `${prefix}:`);

/** The message id of a server-made event: deterministic, so making it twice stores it once. */
export function serverMessageId(kind: ServerIdKind, key: string): string {
  return `${SERVER_ID_KINDS[kind]}:${key}`;
}

/** The reserved prefix `messageId` starts with (in any case), if any: such an id only the server may send. */
export function reservedPrefixOf(messageId: string): string | undefined {
  // Every reserved prefix ends in a colon, which lower-casing neither adds nor removes: most ids have none.
  if (!messageId.includes(':')) return undefined;
  const lower = messageId.toLowerCase();
  return RESERVED_PREFIXES.find((prefix) => lower.startsWith(prefix));
}
