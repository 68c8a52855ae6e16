/**
 * A message's consent for one category, its name compared ignoring case: consent managers name
 * categories as they like (Segment's examples say `Advertising`), and an integration's
 * `consent_categories` may be written either way. Where the message gives a category in several
 * casings, a refusal wins. Undefined when the message says nothing of it.
 */
export function consentFor(preferences: Readonly<Record<string, boolean>>, category: string): boolean | undefined {
  const wanted = category.toLowerCase();
  let granted: boolean | undefined;
  for (const [name, value] of Object.entries(preferences)) {
    if (name.toLowerCase() !== wanted) continue;
    if (value === false) return false;
    granted = value;
  }
  return granted;
}
