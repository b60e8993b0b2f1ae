// Sign-in: the key is checked with one cheap API call before the UI uses it; it is kept in
// localStorage until sign-out.

import { api, apiKey } from './api.js';
import { cloneTemplate } from './dom.js';
import { explainProblem } from './field_errors.js';

// `notice`, when given, says why the person is here again (a key that stopped working).
export function renderSignInView(main, { notice, onSignedIn }) {
  const { fragment, refs } = cloneTemplate('sign-in-view');
  if (notice) {
    refs.notice.textContent = notice;
    refs.notice.hidden = false;
  }
  const input = refs.form.elements.key;
  const showError = (message) => {
    refs.error.textContent = message;
    refs.error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  refs.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    refs.error.hidden = true;
    input.removeAttribute('aria-invalid');
    const key = input.value.trim();
    if (!key) return showError('Paste your API key first.');
    apiKey.set(key);
    try {
      await api('GET', '/api/v1/links?limit=1');
      onSignedIn();
    } catch (error) {
      apiKey.clear();
      showError(error.status === 401 ? 'This key was not accepted. Check it and try again.'
                                     : explainProblem(error).message);
    }
  });
  main.replaceChildren(fragment);
  return () => {};
}
