// API problems shown next to the form field they concern, in words a person understands.
//
// A form marks each field's error slot with data-error-for="<API field name>" and has one slot
// with data-error-for="" for problems that concern no single field. The problem's `code` says
// which field most codes are about; for invalid_request the server's detail names the field
// ("max_visits must be at least 1"), and that name is replaced by the form's own words.

const FIELD_OF_CODE = {
  invalid_url: 'url',
  blocked_url: 'url',
  invalid_alias: 'alias',
  reserved_alias: 'alias',
  alias_taken: 'alias',
};

// API field names as they appear in details, and how the form calls them.
const FIELD_WORDS = [
  ['expires_at', 'expires_at', 'The expiry time'],
  ['max_visits', 'max_visits', 'The visit limit'],
  ['redirect_status', 'redirect_status', 'The redirect type'],
  ['forward_query', 'forward_query', 'The query-string option'],
  ['title', 'title', 'The title'],
  ['tags', 'tags', 'Tags'],
  ['tag', 'tags', 'Each tag'],
  ['url', 'url', 'The URL'],
  ['alias', 'alias', 'The alias'],
];

const PLAIN_WORDS = {
  reserved_alias: 'This alias is reserved for hop’s own pages. Pick another one.',
  alias_taken: 'This alias is already in use. Pick another one.',
  blocked_url: 'Links to this site are not allowed on this server.',
  payload_too_large: 'This is too much text for one link.',
  rate_limited: 'Too many requests in a short time. Wait a moment and try again.',
  store_unavailable: 'The server cannot reach its database right now. Try again shortly.',
  internal: 'Something went wrong on the server. Try again; if it keeps happening, tell its operator.',
  forbidden: 'This API key is not allowed to do that.',
};

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// {field, message}: the API field the problem concerns ('' for none) and what to tell the person.
export function explainProblem(error) {
  if (FIELD_OF_CODE[error.code]) {
    return { field: FIELD_OF_CODE[error.code],
             message: PLAIN_WORDS[error.code] ?? capitalize(error.detail) };
  }
  if (error.code === 'invalid_request') {
    for (const [word, field, plain] of FIELD_WORDS) {
      if (!new RegExp(`(^|[^a-z_])"?${word}"?([^a-z_]|$)`, 'i').test(error.detail)) continue;
      // "max_visits must be at least 1" reads "The visit limit must be at least 1".
      const leading = new RegExp(`^"?${word}"?\\s`, 'i');
      const message = leading.test(error.detail) ? error.detail.replace(leading, `${plain} `)
                                                 : capitalize(error.detail);
      return { field, message: message.replace(/"(\w+)"/g, '$1') };
    }
  }
  return { field: '', message: PLAIN_WORDS[error.code] ?? capitalize(error.detail) };
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

// Shows `error` in its field's slot (or the form's general one) and moves focus to that field.
export function showProblem(form, error) {
  const { field, message } = explainProblem(error);
  const slot = form.querySelector(`[data-error-for="${field}"]`) ??
               form.querySelector('[data-error-for=""]');
  slot.textContent = message;
  slot.hidden = false;
  const input = field ? form.elements.namedItem(field) : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    // Options hidden in a closed <details> must be revealed before they can take focus.
    const details = input.closest('details');
    if (details) details.open = true;
    input.focus();
  }
}
