/** The mobile platform a Segment `context.os.name` names, if it is iOS or Android. */
export function mobileOs(osName: unknown): 'ios' | 'android' | undefined {
  if (typeof osName !== 'string') return undefined;
  const name = osName.trim().toLowerCase();
  if (name === 'ios' || name === 'ipados' || name === 'iphone os') return 'ios';
  return name === 'android' ? 'android' : undefined;
}
