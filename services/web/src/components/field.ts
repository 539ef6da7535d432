import { h, uniqueId, type Child } from '../lib/dom.js';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A labelled control with a hint and a slot for the API's message about it. */
export interface Field<C extends Control = Control> {
  element: HTMLElement;
  control: C;
  setError(message: string | null): void;
}

export function field<C extends Control>(label: Child, control: C, options: { hint?: string; className?: string } = {}): Field<C> {
  if (!control.id) control.id = uniqueId('field');
  const hintId = `${control.id}-hint`;
  const errorId = `${control.id}-error`;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const hint = options.hint ? h('p', { class: 'field-hint', id: hintId }, options.hint) : null;
  const describedBy = (withError: boolean): string => [hint ? hintId : null, withError ? errorId : null].filter(Boolean).join(' ');
  if (hint) control.setAttribute('aria-describedby', describedBy(false));
  const element = h('div', { class: `field ${options.className ?? ''}`.trim() }, h('label', { for: control.id }, label), hint, control, error);
  return {
    element,
    control,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = message === null;
      element.classList.toggle('has-error', message !== null);
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
      const described = describedBy(message !== null);
      if (described) control.setAttribute('aria-describedby', described);
      else control.removeAttribute('aria-describedby');
    },
  };
}

/** A checkbox with its label after it, as people expect. */
export function checkbox(label: string, name: string, checked = false): { element: HTMLElement; control: HTMLInputElement } {
  const control = h('input', { type: 'checkbox', name, id: uniqueId(name), checked });
  return { element: h('div', { class: 'check' }, control, h('label', { for: control.id }, label)), control };
}

export const select = (name: string, options: Array<[value: string, label: string]>, selected?: string): HTMLSelectElement =>
  h('select', { name }, ...options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
