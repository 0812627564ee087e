// DOM helpers of Tracefix's webviews: every element is built here with textContent, so nothing the
// extension posts (a model's text, a recorded value) is ever parsed as HTML.

/** A new element, with a class name and text when given. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls = '',
  text?: string | number,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

/** The element with `id`; a page without it is a programming error of this extension. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}
