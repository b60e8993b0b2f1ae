// Editing a link in <dialog id="edit-dialog">: only the fields that changed are sent (PATCH), and
// an emptied title, expiry or visit limit is sent as null, which clears it.

import { api, linkPath } from './api.js';
import { localInputToRfc3339, parseTags, refsOf, rfc3339ToLocalInput } from './dom.js';
import { clearErrors, showProblem } from './field_errors.js';

function fill(form, link) {
  const f = form.elements;
  f.url.value = link.url;
  f.title.value = link.title ?? '';
  f.tags.value = link.tags.join(', ');
  f.expires_at.value = link.expires_at ? rfc3339ToLocalInput(link.expires_at) : '';
  f.max_visits.value = link.max_visits ?? '';
  f.redirect_status.value = String(link.redirect_status);
  f.forward_query.checked = link.forward_query;
  f.disabled.checked = link.disabled;
}

function changes(form, link) {
  const f = form.elements;
  const patch = {};
  if (f.url.value.trim() !== link.url) patch.url = f.url.value.trim();
  const title = f.title.value.trim() || null;
  if (title !== link.title) patch.title = title;
  const tags = parseTags(f.tags.value);
  if (tags.join('\n') !== link.tags.join('\n')) patch.tags = tags;
  const oldExpiry = link.expires_at ? rfc3339ToLocalInput(link.expires_at) : '';
  if (f.expires_at.value !== oldExpiry) {
    patch.expires_at = f.expires_at.value ? localInputToRfc3339(f.expires_at.value) : null;
  }
  const maxVisits = f.max_visits.value === '' ? null : Number(f.max_visits.value);
  if (maxVisits !== link.max_visits) patch.max_visits = maxVisits;
  const status = Number(f.redirect_status.value);
  if (status !== link.redirect_status) patch.redirect_status = status;
  if (f.forward_query.checked !== link.forward_query) patch.forward_query = f.forward_query.checked;
  if (f.disabled.checked !== link.disabled) patch.disabled = f.disabled.checked;
  return patch;
}

// Opens the dialog for `link`; resolves with the updated link, or null when cancelled.
export function editLink(link) {
  const dialog = document.getElementById('edit-dialog');
  const form = dialog.querySelector('form');
  const refs = refsOf(dialog);
  dialog.querySelector('#edit-heading').textContent = `Edit ${link.short_url}`;
  clearErrors(form);
  fill(form, link);
  dialog.showModal();

  return new Promise((resolve) => {
    let saved = null;
    const onSubmit = async (event) => {
      event.preventDefault();
      clearErrors(form);
      const patch = changes(form, link);
      if (Object.keys(patch).length === 0) return dialog.close();
      try {
        saved = await api('PATCH', linkPath(link.code), patch);
        dialog.close();
      } catch (error) {
        showProblem(form, error);
      }
    };
    const onCancel = () => dialog.close();
    form.addEventListener('submit', onSubmit);
    refs.cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      refs.cancel.removeEventListener('click', onCancel);
      resolve(saved);
    }, { once: true });
  });
}
