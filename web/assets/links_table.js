// "Your links": GET /api/v1/links with search, tag filter and keyset pagination (next_cursor),
// one row per link with its click counts from /stats, and the row actions: copy, edit,
// disable/enable, delete.

import { api, linkPath } from './api.js';
import { cloneTemplate, formatCount, setSafeHref, setTime } from './dom.js';
import { copyWithFeedback } from './clipboard.js';
import { confirmAction } from './confirm_dialog.js';
import { editLink } from './edit_dialog.js';
import { explainProblem } from './field_errors.js';

const PAGE_SIZE = 20;

export class LinksTable {
  constructor(refs) {
    this.refs = refs;
    this.query = { q: '', tag: '' };
    this.cursors = [null];  // the cursor of each page seen so far; the last one is shown
    this.nextCursor = null;
    this.loading = 0;       // answers of older loads are dropped when a newer one started
    refs['search-form'].addEventListener('submit', (event) => {
      event.preventDefault();
      const f = refs['search-form'].elements;
      this.query = { q: f.q.value.trim(), tag: f.tag.value.trim() };
      this.cursors = [null];
      this.load();
    });
    refs.next.addEventListener('click', () => {
      this.cursors.push(this.nextCursor);
      this.load();
    });
    refs.prev.addEventListener('click', () => {
      this.cursors.pop();
      this.load();
    });
  }

  async load() {
    const load = ++this.loading;
    const params = new URLSearchParams({ limit: PAGE_SIZE });
    if (this.query.q) params.set('q', this.query.q);
    if (this.query.tag) params.set('tag', this.query.tag);
    const cursor = this.cursors.at(-1);
    if (cursor) params.set('cursor', cursor);
    let page;
    try {
      page = await api('GET', `/api/v1/links?${params}`);
    } catch (error) {
      this.showError(error);
      return;
    }
    if (load !== this.loading) return;
    this.refs['list-error'].hidden = true;
    this.nextCursor = page.next_cursor;
    this.refs.rows.replaceChildren(...page.items.map((link) => this.row(link)));
    this.refs.empty.hidden = page.items.length > 0;
    this.refs.empty.textContent = this.query.q || this.query.tag ? 'No links match.' : 'No links yet.';
    this.refs.prev.disabled = this.cursors.length === 1;
    this.refs.next.disabled = !page.next_cursor;
    this.refs['page-label'].textContent = `Page ${this.cursors.length}`;
  }

  showError(error) {
    this.refs['list-error'].textContent = explainProblem(error).message;
    this.refs['list-error'].hidden = false;
  }

  row(link) {
    const { root: tr, refs } = cloneTemplate('link-row');
    tr.dataset.code = link.code;
    // The scheme adds nothing a reader needs, and a narrow column may wrap after the host only.
    const shown = link.short_url.replace(/^https?:\/\//, '');
    const slash = shown.lastIndexOf('/') + 1;
    refs.short.replaceChildren(shown.slice(0, slash), document.createElement('wbr'), shown.slice(slash));
    setSafeHref(refs.short, link.short_url);
    refs['disabled-badge'].hidden = !link.disabled;
    refs.target.textContent = link.url;
    refs.target.title = link.url;
    setSafeHref(refs.target, link.url);
    refs.title.textContent = link.title ?? '';
    for (const tag of link.tags) {
      const chip = document.createElement('span');
      chip.className = 'tag';
      chip.textContent = tag;
      refs.tags.append(chip, ' ');
    }
    setTime(refs.created, link.created_at);
    refs.stats.href = `#/links/${encodeURIComponent(link.code)}`;
    refs.stats.setAttribute('aria-label', `Statistics of ${link.code}`);
    refs.copy.setAttribute('aria-label', `Copy ${link.short_url}`);
    refs.copy.addEventListener('click', () => copyWithFeedback(link.short_url, this.copyStatus(refs)));
    refs.edit.setAttribute('aria-label', `Edit ${link.code}`);
    refs.edit.addEventListener('click', () => this.edit(link));
    refs.toggle.textContent = link.disabled ? 'Enable' : 'Disable';
    refs.toggle.setAttribute('aria-label', `${link.disabled ? 'Enable' : 'Disable'} ${link.code}`);
    refs.toggle.addEventListener('click', () => this.setDisabled(link, !link.disabled));
    refs.delete.setAttribute('aria-label', `Delete ${link.code}`);
    refs.delete.addEventListener('click', () => this.remove(link));
    this.fillCounts(refs, link.code);
    return tr;
  }

  // A status element next to the row's copy button, made on first use.
  copyStatus(refs) {
    if (!refs.copied) {
      refs.copied = document.createElement('span');
      refs.copied.className = 'copied';
      refs.copied.setAttribute('role', 'status');
      refs.copy.after(refs.copied);
    }
    return refs.copied;
  }

  async fillCounts(refs, code) {
    try {
      const stats = await api('GET', `${linkPath(code)}/stats`);
      refs.last_24h.textContent = formatCount(stats.last_24h);
      refs.last_7d.textContent = formatCount(stats.last_7d);
      refs.total.textContent = formatCount(stats.total);
    } catch {
      for (const cell of [refs.last_24h, refs.last_7d, refs.total]) cell.textContent = '?';
    }
  }

  async edit(link) {
    if (await editLink(link)) this.load();
  }

  async setDisabled(link, disabled) {
    try {
      await api('PATCH', linkPath(link.code), { disabled });
      this.load();
    } catch (error) {
      this.showError(error);
    }
  }

  async remove(link) {
    const confirmed = await confirmAction({
      heading: `Delete ${link.short_url}?`,
      text: 'The link stops working at once, and its statistics are deleted with it. ' +
            'This cannot be undone.',
      confirmLabel: 'Delete link',
    });
    if (!confirmed) return;
    try {
      await api('DELETE', linkPath(link.code));
      this.load();
    } catch (error) {
      this.showError(error);
    }
  }
}
