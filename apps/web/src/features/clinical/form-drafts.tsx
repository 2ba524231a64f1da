/**
 * Drafts and the leave question for the clinical forms of the patient page (PRODUCT §5: nothing typed
 * is lost silently), kept once for all of them rather than in each form: every change inside the panel
 * records the changed form's fields in a draft in this tab (lib/drafts.ts), and leaving the page while
 * one is unsaved asks first. A save clears them (`FormDraftContext`); after an idle sign-out the
 * panel offers them back, writing the values into the fields as typing would.
 */
import { createContext, useEffect, useState, type ChangeEvent } from 'react';
import { clearDraft, loadDraft, saveDraft, type Draft } from '../../lib/drafts.ts';
import { guardUnsaved } from '../../lib/router.tsx';

/** Field id → value (a checkbox's or radio's checked state), per form (by its heading id). */
export type FormsDraft = Record<string, Record<string, string | boolean>>;

export const FormDraftContext = createContext<{ saved: () => void } | null>(null);

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function fieldsOf(form: HTMLFormElement): Field[] {
  return Array.from(form.elements).filter(
    (element): element is Field =>
      (element instanceof HTMLInputElement ||
        element instanceof HTMLSelectElement ||
        element instanceof HTMLTextAreaElement) &&
      element.id !== '',
  );
}

function formKey(form: HTMLFormElement): string | null {
  return form.getAttribute('aria-labelledby') ?? (form.id || null);
}

/** Sets a field as a person typing would, so React's own state follows. */
function setField(field: Field, value: string | boolean): void {
  if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
    if (field.checked !== value) field.click();
    return;
  }
  // React tracks the value it last set: the prototype's setter is what makes the change visible to it.
  const prototype = Object.getPrototypeOf(field) as object;
  Reflect.set(prototype, 'value', String(value), field);
  field.dispatchEvent(
    new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
  );
}

export function useFormDrafts(
  key: string,
  container: () => HTMLElement | null,
  patientName: string,
) {
  const [drafts, setDrafts] = useState<FormsDraft>({});
  const [offer, setOffer] = useState<Draft<FormsDraft> | null>(() => {
    const draft = loadDraft<FormsDraft>(key);
    return draft && Object.keys(draft.data).length > 0 ? draft : null;
  });
  const count = Object.keys(drafts).length;

  useEffect(() => {
    if (offer) return;
    if (count > 0) saveDraft(key, drafts);
    else clearDraft(key);
  }, [key, offer, count, drafts]);

  useEffect(() => {
    if (count === 0) return;
    return guardUnsaved({
      question: `Leave this page? ${count === 1 ? 'A form' : `${count} forms`} for ${patientName} ${count === 1 ? 'is' : 'are'} filled in but not saved.`,
      onLeave: () => clearDraft(key),
    });
  }, [count, patientName, key]);

  function onChange(event: ChangeEvent<HTMLElement>): void {
    const form = event.target.closest('form');
    const name = form && formKey(form);
    if (!form || !name) return;
    const values = Object.fromEntries(
      fieldsOf(form).map((field) => [
        field.id,
        field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')
          ? field.checked
          : field.value,
      ]),
    );
    setDrafts((current) => ({ ...current, [name]: values }));
  }

  function restore(): void {
    if (!offer) return;
    const root = container();
    const data = offer.data;
    setOffer(null);
    setDrafts(data);
    // Twice: a choice (a complication's kind) can bring the fields that depend on it.
    const apply = (): void => {
      for (const [name, values] of Object.entries(data)) {
        const form = root?.querySelector<HTMLFormElement>(
          `form[aria-labelledby="${name}"], form#${CSS.escape(name)}`,
        );
        if (!form) continue;
        for (const field of fieldsOf(form)) {
          const value = values[field.id];
          if (value !== undefined) setField(field, value);
        }
      }
    };
    apply();
    window.setTimeout(apply, 0);
  }

  function discard(): void {
    clearDraft(key);
    setOffer(null);
  }

  return {
    offer,
    restore,
    discard,
    onChange,
    saved: () => setDrafts({}),
  };
}
