// The home page: the create form above the table of the caller's links.

import { cloneTemplate } from './dom.js';
import { setUpCreateForm } from './create_form.js';
import { LinksTable } from './links_table.js';

export function renderLinksView(main) {
  const { fragment, refs } = cloneTemplate('links-view');
  const table = new LinksTable(refs);
  setUpCreateForm(refs, () => table.load());
  main.replaceChildren(fragment);
  table.load();
  // Nothing to stop when the page is left: the table does not poll.
  return () => {};
}
