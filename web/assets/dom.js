// Small DOM helpers. Views are cloned from <template>s in index.html and filled with textContent,
// never with HTML strings, so link titles and URLs can't inject markup.

// A copy of template #id, and its elements marked data-ref="name" as refs.name.
export function cloneTemplate(id) {
  const fragment = document.getElementById(id).content.cloneNode(true);
  const refs = {};
  for (const el of fragment.querySelectorAll('[data-ref]')) refs[el.dataset.ref] = el;
  return { fragment, refs, root: fragment.firstElementChild };
}

// The refs of an element already in the page (dialogs live in index.html itself).
export function refsOf(root) {
  const refs = {};
  for (const el of root.querySelectorAll('[data-ref]')) refs[el.dataset.ref] = el;
  return refs;
}

// Only http(s) targets become links: the server refuses other schemes, and this keeps it so
// even if a bug let one through.
export function setSafeHref(anchor, url) {
  if (/^https?:\/\//i.test(url)) anchor.href = url;
  else anchor.removeAttribute('href');
}

const countFormat = new Intl.NumberFormat();
export const formatCount = (n) => countFormat.format(n);

export function setTime(timeEl, rfc3339) {
  const date = new Date(rfc3339);
  timeEl.dateTime = rfc3339;
  timeEl.textContent = date.toLocaleDateString(undefined,
                                               { year: 'numeric', month: 'short', day: 'numeric' });
  timeEl.title = date.toLocaleString();
}

// "2026-11-22T20:12" (a datetime-local input's value, local time) <-> RFC 3339 UTC.
export function localInputToRfc3339(value) {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
export function rfc3339ToLocalInput(rfc3339) {
  const d = new Date(rfc3339);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
         `T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function parseTags(text) {
  return text.split(',').map((t) => t.trim()).filter((t) => t !== '');
}
