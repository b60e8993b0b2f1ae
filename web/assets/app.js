// hop's web UI: a few views switched by the URL's hash, so that every page has an address and the
// server only ever serves "/".
//
//   #/               the create form and the table of links
//   #/links/{code}   one link's statistics
//
// Without a stored API key every address shows the sign-in form; a 401 from any call (a revoked
// key) returns there too.

import { apiKey } from './api.js';
import { renderLinksView } from './links_view.js';
import { renderSignInView } from './sign_in_view.js';
import { renderStatsView } from './stats_view.js';

const main = document.getElementById('main');
const signOutButton = document.getElementById('sign-out');
let stopView = () => {};
let viewName = '';

function show(name, render) {
  stopView();
  viewName = name;
  stopView = render();
  signOutButton.hidden = name === 'sign-in';
  // Each view's heading takes focus, so keyboard and screen-reader users start at the new page.
  main.querySelector('h1')?.focus({ preventScroll: true });
}

function route(notice) {
  if (!apiKey.get()) {
    show('sign-in', () => renderSignInView(main, { notice, onSignedIn: () => route() }));
    return;
  }
  const stats = /^#\/links\/([^/]+)$/.exec(location.hash);
  if (stats) {
    show('stats', () => renderStatsView(main, decodeURIComponent(stats[1])));
  } else {
    show('links', () => renderLinksView(main));
  }
  document.title = 'hop';
}

signOutButton.addEventListener('click', () => {
  apiKey.clear();
  // replaceState changes the address without a hashchange, which would route again without the notice.
  history.replaceState(null, '', '#/');
  route('You are signed out.');
});

window.addEventListener('hashchange', () => route());
window.addEventListener('hop:unauthorized', () => {
  // The sign-in form reports a refused key itself.
  if (viewName === 'sign-in') return;
  apiKey.clear();
  route('Your API key was not accepted (it may have been revoked). Sign in again.');
});

route();
