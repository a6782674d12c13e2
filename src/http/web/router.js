/**
 * Hash routing. A view is `(scope, ...params) => void`: it renders with `setView()` and hands its fetches
 * `scope.signal` and its timers to `scope.later()`, so leaving the route aborts and clears them. `params` are the
 * route pattern's groups, URI-decoded.
 */
import { h } from './dom.js';
import { S } from './strings.js';

const app = /** @type {HTMLElement} */ (document.getElementById('app'));

/** `[pattern, view]` pairs, set once by startRouter(). */
let routes = [];
/** `[path prefix, data-nav]` pairs. */
let sections = [];

/** The current view's lifetime: its fetches are aborted and its timers cleared when the route changes. */
let view = newViewScope();

function newViewScope() {
  const controller = new AbortController();
  const timers = new Set();
  return {
    signal: controller.signal,
    get alive() {
      return !controller.signal.aborted;
    },
    later(fn, ms) {
      const id = setTimeout(() => {
        timers.delete(id);
        if (!controller.signal.aborted) fn();
      }, ms);
      timers.add(id);
    },
    end() {
      controller.abort();
      for (const id of timers) clearTimeout(id);
    },
  };
}

let firstRoute = true;
/** Renders the view of the current hash; views call it again to show themselves afresh. */
export function route() {
  view.end();
  view = newViewScope();
  const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  const section = sections.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'list';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.getAttribute('data-nav') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  let matched = false;
  for (const [pattern, render] of routes) {
    const m = pattern.exec(path);
    if (m) {
      matched = true;
      render(view, ...m.slice(1).map(decodeURIComponent));
      break;
    }
  }
  if (!matched) {
    setView(S.notFound, h('section', {}, h('h1', {}, S.notFound), h('p', {}, h('a', { href: '#/' }, S.backToList))));
  }
  // Move focus to the new content for keyboard and screen-reader users (not on the first load: leave it alone).
  if (!firstRoute) app.focus({ preventScroll: true });
  firstRoute = false;
  window.scrollTo(0, 0);
}

/** Renders the current view again where it is (a change of language): focus and scroll stay as they are. */
export function rerender() {
  const { scrollX, scrollY } = window;
  const wasFirst = firstRoute;
  firstRoute = true;
  route();
  firstRoute = wasFirst;
  window.scrollTo(scrollX, scrollY);
}

export function setView(title, ...content) {
  document.title = title ? `${title} · Daybreak` : 'Daybreak';
  app.replaceChildren(...content.filter(Boolean));
}

/**
 * Starts routing on `table` (first match wins). `navSections`: which header link (`data-nav`) is current for a path
 * starting with a prefix; any other path marks the list's.
 */
export function startRouter(table, navSections) {
  routes = table;
  sections = navSections;
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    // The hash belongs to the router: focus the content instead of navigating to #app.
    event.preventDefault();
    app.focus();
  });
  window.addEventListener('hashchange', route);
  route();
}
