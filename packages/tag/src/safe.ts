/** Wraps a function so that no exception escapes it: the host page must never see one from the tag. */
export function safe<A extends unknown[]>(run: (...args: A) => unknown): (...args: A) => void {
  return (...args) => {
    try {
      run(...args);
    } catch {
      // Dropped on purpose: a bad call costs only itself.
    }
  };
}
