/**
 * Daybreak's web page: the ticker list, a report view and the execution monitor, on the JSON API of the same
 * process. Plain ES modules, no framework, no build: one module per view, `dom.js` (the `h()` builder and
 * formatting), `api.js` (fetch helper), `router.js` (hash routes and view lifetimes). A new view is a module of its
 * own and one line in ROUTES.
 *
 * Safety: every piece of server text goes into the page as a text node (the `h()` builder never parses HTML), and
 * the narrative is turned into DOM nodes by markdown.js, so a report can never inject markup.
 */
// First: inside Telegram it takes the launch parameters out of the hash before the router reads it.
import './telegram-webapp.js';
import { executionView } from './execution-view.js';
import { executionsView } from './executions-view.js';
import { listView } from './list-view.js';
import { reportView } from './report-view.js';
import { startRouter } from './router.js';

/** Path pattern → view; the pattern's groups are the view's parameters. */
const ROUTES = [
  [/^\/?$/, listView],
  [/^\/report\/([^/]+)\/?$/, reportView],
  [/^\/executions\/?$/, executionsView],
  [/^\/executions\/([^/]+)\/?$/, executionView],
];

/** Path prefix → the header link (`data-nav`) marked current. */
const NAV_SECTIONS = [
  ['/executions', 'executions'],
  ['/report', 'report'],
];

startRouter(ROUTES, NAV_SECTIONS);
