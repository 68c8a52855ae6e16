/**
 * Query parameter names that hold personal data, compared lower-cased without `-`, `_`, `.` and
 * spaces (so `e-mail`, `E_Mail` and `email` are one). Destinations receive personal data only
 * hashed, in the fields meant for it; a page URL must not carry it to them in clear.
 */
const PERSONAL_PARAM_NAMES: ReadonlySet<string> = new Set([
  'email',
  'mail',
  'emailaddress',
  'phone',
  'phonenumber',
  'tel',
  'telephone',
  'mobile',
  'mobilephone',
  'cell',
  'cellphone',
  'firstname',
  'fname',
  'givenname',
  'lastname',
  'lname',
  'surname',
  'familyname',
  'fullname',
  'name',
  'birthday',
  'birthdate',
  'dob',
  'address',
  'street',
  'zip',
  'zipcode',
  'postcode',
  'postalcode',
]);

/** A phone number as people write one: `+` and digits, or digits with the usual separators. */
const PHONE_WRITTEN = /^\+?[\d\s().-]+$/;
/** A date (2024-01-02, 2024.01.02), which is written like a phone number but is none. */
const DATE = /^\d{4}[-.]\d{1,2}[-.]\d{1,2}$/;

/**
 * True for `x@y.z`: one `@`, no whitespace, and a dot inside the domain. Scanned by hand: the
 * regular expression for it (`^[^\s@]+@[^\s@]+\.[^\s@]+$`) backtracks in time quadratic in the
 * value's length, so one URL of many dots could hold the worker up for seconds.
 */
function looksLikeEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0 || value.includes('@', at + 1) || /\s/.test(value)) return false;
  const dot = value.indexOf('.', at + 2);
  return dot !== -1 && dot < value.length - 1;
}

function isPersonalName(name: string): boolean {
  const plain = name.toLowerCase().replace(/[-_.\s]/g, '');
  return PERSONAL_PARAM_NAMES.has(plain) || plain.includes('email') || plain.includes('phone');
}

/**
 * True for a value that looks like a phone number: 7 to 15 digits written with a leading `+` or
 * separators, or 10 to 15 bare digits. Long numeric ids are dropped too: a wrong guess costs a
 * parameter the destination does not need, a missed number leaks a person's phone.
 */
function looksLikePhone(value: string): boolean {
  const trimmed = value.trim();
  if (!PHONE_WRITTEN.test(trimmed) || DATE.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  return /[+\s().-]/.test(trimmed) || digits >= 10;
}

/** True when a query parameter holds personal data, by its name or by what its value looks like. */
export function isPersonalParam(name: string, value: string): boolean {
  return isPersonalName(name) || looksLikeEmail(value.trim()) || looksLikePhone(value);
}

/**
 * `url` as it may go to a destination: without the query parameters that hold personal data (by
 * name: email, phone, first name…; by value: anything that looks like an email address or a phone
 * number), without user name and password, and without the fragment (where sign-in flows put
 * tokens). Other parameters (utm_*, click ids, product ids) stay as given. Text that is no URL is
 * cut at its first `?` or `#`.
 */
export function withoutPersonalData(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.split(/[?#]/, 1)[0]!;
  }
  const params = [...parsed.searchParams];
  const kept = params.filter(([name, value]) => !isPersonalParam(name, value));
  const clean = kept.length === params.length && parsed.username === '' && parsed.password === '' && parsed.hash === '';
  // Nothing to take out: the URL goes as given, not re-encoded.
  if (clean) return url;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  parsed.search = new URLSearchParams(kept).toString();
  return parsed.href;
}
