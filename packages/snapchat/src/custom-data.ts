import type { Message } from '@datafirst/protocol';
import { isSnapCurrency } from './currencies.js';
import { isRecord } from './is-record.js';
import { withoutUndefined } from './without-undefined.js';

/** One item of v3 `custom_data.contents`. */
export interface SnapContent {
  id: string;
  quantity: number;
  item_price?: number;
  brand?: string;
}

/** v3 `custom_data`, in the key order of docs/snapchat-capi.md §3.4 and §7. */
export interface SnapCustomData {
  currency?: string;
  value?: number;
  order_id?: string;
  content_ids?: string[];
  num_items?: number;
  contents?: SnapContent[];
  content_category?: string;
  content_name?: string;
  /** What the ids name, as the sender says (`product`, `product_group`…); never guessed. */
  content_type?: string;
  /** The brands the event is about, from the event's own `brands`/`brand`. */
  brands?: string[];
  search_string?: string;
  sign_up_method?: string;
  /** The sender's predicted lifetime value of the customer. */
  predicted_ltv?: number;
}

type Properties = Record<string, unknown>;

const NUMERIC = /^-?\d+(?:\.\d+)?$/u;

/** A finite number from a number or a plain decimal string ("59.97"); anything else is `undefined`. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function trimmedText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

// Sums of prices carry binary noise (19.99 × 2 + 19.99 = 59.970000000000006); no currency has
// more than 4 decimals, so 6 keep every real digit.
function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** The products of an event: `properties.products`, or the properties themselves for one-product events. */
function productsOf(properties: Properties): Properties[] {
  if (Array.isArray(properties.products)) return properties.products.filter(isRecord);
  return productId(properties) === undefined ? [] : [properties];
}

function productId(product: Properties): string | undefined {
  return toId(product.product_id) ?? toId(product.sku);
}

function quantityOf(product: Properties): number {
  const quantity = toNumber(product.quantity);
  return quantity !== undefined && quantity >= 0 ? quantity : 1;
}

function sumOfPrices(products: Properties[]): number | undefined {
  const priced = products.filter((product) => toNumber(product.price) !== undefined);
  if (priced.length === 0) return undefined;
  return roundMoney(priced.reduce((sum, product) => sum + (toNumber(product.price) ?? 0) * quantityOf(product), 0));
}

function contentOf(product: Properties): SnapContent | undefined {
  const id = productId(product);
  if (id === undefined) return undefined;
  return withoutUndefined({
    id,
    quantity: quantityOf(product),
    item_price: toNumber(product.price),
    brand: trimmedText(product.brand),
  });
}

/**
 * The event-level brands: `properties.brands` (a list or one name), else `properties.brand`,
 * trimmed and without repeats. Per-product brands go in `contents[].brand` instead, as
 * docs/snapchat-capi.md §7.2 shows: repeating them here would say the same thing twice.
 */
function brandsOf(properties: Properties): string[] | undefined {
  for (const raw of [properties.brands, properties.brand]) {
    const names = (Array.isArray(raw) ? raw : [raw]).map(trimmedText).filter((name) => name !== undefined);
    if (names.length > 0) return [...new Set(names)];
  }
  return undefined;
}

/** The currency as Snap wants it (uppercase, whitelisted), or `undefined`. */
export function snapCurrency(value: unknown): string | undefined {
  const code = trimmedText(value)?.toUpperCase();
  return code !== undefined && isSnapCurrency(code) ? code : undefined;
}

/** The event's money amount: revenue ?? total ?? value ?? Σ price × quantity of its products ?? price. */
export function orderValue(properties: Record<string, unknown>): number | undefined {
  return (
    toNumber(properties.revenue) ??
    toNumber(properties.total) ??
    toNumber(properties.value) ??
    sumOfPrices(productsOf(properties)) ??
    toNumber(properties.price)
  );
}

/**
 * `num_items`, an integer in Snap's OpenAPI: Σ quantity of the products (each 1 unless given),
 * else the event's own `quantity`; the total is rounded so that "1.5" items still send.
 */
function itemCount(properties: Properties, products: Properties[]): number | undefined {
  if (products.length > 0) return Math.round(products.reduce((sum, product) => sum + quantityOf(product), 0));
  const quantity = toNumber(properties.quantity);
  return quantity !== undefined && quantity >= 0 ? Math.round(quantity) : undefined;
}

/** The event's `category`, else the first category of its products. */
function categoryOf(properties: Properties, products: Properties[]): string | undefined {
  return (
    trimmedText(properties.category) ??
    products.map((product) => trimmedText(product.category)).find((category) => category !== undefined)
  );
}

/**
 * v3 `custom_data` from a message's properties (Segment e-commerce spec): value = revenue ??
 * total ?? value ?? Σ price × quantity ?? price; the value goes only with a currency Snap accepts,
 * since an amount in an unknown currency means nothing. `contents`/`content_ids`/`num_items` come
 * from `products[]` (or the properties of a one-product event; `num_items` from `quantity` when
 * there are none), `content_category` from `category` or the first product's, and `order_id`,
 * `name`, `content_type`, `brands`/`brand`, `query`, `method` and `predicted_ltv` from the
 * properties. `undefined` when nothing applies.
 */
export function buildCustomData(message: Message): SnapCustomData | undefined {
  const properties: Properties = message.properties ?? {};
  const products = productsOf(properties);
  const contents = products.map(contentOf).filter((content) => content !== undefined);
  const currency = snapCurrency(properties.currency);
  const value = orderValue(properties);
  const customData = withoutUndefined({
    currency,
    value: currency === undefined ? undefined : value,
    order_id: toId(properties.order_id),
    content_ids: contents.length > 0 ? contents.map((content) => content.id) : undefined,
    num_items: itemCount(properties, products),
    contents: contents.length > 0 ? contents : undefined,
    content_category: categoryOf(properties, products),
    // On page calls `name` is the page's name, not a product's.
    content_name: message.type === 'track' ? trimmedText(properties.name) : undefined,
    content_type: trimmedText(properties.content_type),
    brands: brandsOf(properties),
    search_string: trimmedText(properties.query),
    sign_up_method: trimmedText(properties.method),
    predicted_ltv: toNumber(properties.predicted_ltv),
  });
  return Object.keys(customData).length > 0 ? customData : undefined;
}
