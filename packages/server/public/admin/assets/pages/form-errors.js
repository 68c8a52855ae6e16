// @ts-check
// What a form does with an API refusal: each error beside its field, the rest in the form's banner.
import { ApiError, errorMessages } from '../api.js';
import { errorList, showFieldErrors } from '../dom.js';

/**
 * Shows an error of a form's submit: beside the fields it names, the rest replacing `banner`.
 * Returns the new banner (to pass next time) and moves focus to the first thing to fix.
 * @param {HTMLElement} form
 * @param {HTMLElement} banner the form's current error list
 * @param {unknown} error
 */
export function showFormError(form, banner, error) {
  const rest = showFieldErrors(form, error instanceof ApiError ? error.errors : errorMessages(error));
  const next = errorList(rest);
  banner.replaceWith(next);
  const first = /** @type {HTMLElement | null} */ (form.querySelector('[aria-invalid="true"]')) ?? next;
  if (first === next) next.tabIndex = -1;
  first.focus();
  return next;
}

/** Clears a form's errors after it was saved; returns the new (empty) banner. */
export function clearFormErrors(form, banner) {
  showFieldErrors(form, []);
  const next = errorList([]);
  banner.replaceWith(next);
  return next;
}
