// The "Shorten a link" form: POST /api/v1/links, then the new short URL with a copy button and
// its QR code. Enter in any field submits (a plain <form> with a submit button).

import { api } from './api.js';
import { localInputToRfc3339, parseTags, setSafeHref } from './dom.js';
import { clearErrors, showProblem } from './field_errors.js';
import { copyWithFeedback } from './clipboard.js';
import { showQr, wireQrDownloads } from './qr.js';

function createRequest(form) {
  const f = form.elements;
  const body = { url: f.url.value.trim() };
  if (f.alias.value.trim()) body.alias = f.alias.value.trim();
  if (f.title.value.trim()) body.title = f.title.value.trim();
  const tags = parseTags(f.tags.value);
  if (tags.length) body.tags = tags;
  if (f.expires_at.value) body.expires_at = localInputToRfc3339(f.expires_at.value);
  if (f.max_visits.value !== '') body.max_visits = Number(f.max_visits.value);
  body.redirect_status = Number(f.redirect_status.value);
  if (f.forward_query.checked) body.forward_query = true;
  return body;
}

// The result panel starts with a fresh copy each time, so old listeners and blobs never pile up.
function showCreated(refs, link) {
  const panel = refs.created.cloneNode(true);
  refs.created.replaceWith(panel);
  refs.created = panel;
  const part = (name) => panel.querySelector(`[data-ref="${name}"]`);
  part('created-link').textContent = link.short_url;
  setSafeHref(part('created-link'), link.short_url);
  part('created-target').textContent = `→ ${link.url}`;
  part('created-target').title = link.url;
  part('created-stats').href = `#/links/${encodeURIComponent(link.code)}`;
  part('created-copy').addEventListener('click',
      () => copyWithFeedback(link.short_url, part('created-copied')));
  const onError = (error) => { part('created-copied').textContent = error.detail; };
  wireQrDownloads(part('created-svg'), part('created-png'), link.code, onError);
  panel.hidden = false;
  showQr(part('created-qr'), link.code, link.short_url).catch(onError);
}

// Wires the form in `refs`; `onCreated(link)` runs after each successful create.
export function setUpCreateForm(refs, onCreated) {
  const form = refs['create-form'];
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const link = await api('POST', '/api/v1/links', createRequest(form));
      form.reset();
      showCreated(refs, link);
      onCreated(link);
    } catch (error) {
      showProblem(form, error);
    } finally {
      button.disabled = false;
    }
  });
}
