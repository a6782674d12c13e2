/**
 * The page inside Telegram (a Mini App): Telegram opens it with its launch parameters in the URL hash
 * (`#tgWebAppData=…&tgWebAppThemeParams=…`). Without loading Telegram's script (the page loads nothing from other
 * origins), this module reads them, takes the theme colours into the page's CSS variables, keeps the init data for the
 * API (`X-Telegram-Init-Data`), and drives Telegram's back button through the Mini App event bridge
 * (`TelegramWebviewProxy.postEvent` in the apps, `postMessage` to the parent in Telegram Web). Outside Telegram it
 * does nothing.
 */

const STORAGE_KEY = 'daybreak.telegram-launch';

/** Telegram theme key → the page's CSS variable. */
const THEME_VARIABLES = {
  bg_color: '--bg',
  secondary_bg_color: '--surface',
  text_color: '--text',
  hint_color: '--muted',
  link_color: '--link',
  button_color: '--accent',
};

/** `window.Telegram.WebApp`, when Telegram's own script (or a host that provides it) put one on the page. */
function webAppObject() {
  const webApp = window.Telegram?.WebApp;
  return typeof webApp?.initData === 'string' && webApp.initData !== '' ? webApp : null;
}

/** The report a start parameter `report_SYMBOL` asks to open, if any. */
const startSymbol = (launch) => /^report_([A-Za-z0-9]+)$/.exec(launch.startParam ?? '')?.[1];

/** Keeps the launch for the rest of the session (Telegram gives it only on the first page load). */
function keep(launch) {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(launch));
  } catch {
    // Storage refused (private mode): the launch still applies to this page view.
  }
}

function readLaunch() {
  const hash = location.hash.replace(/^#/, '');
  const webApp = webAppObject();
  if (webApp && !hash.startsWith('tgWebApp')) {
    const launch = { initData: webApp.initData, theme: webApp.themeParams ?? {}, startParam: webApp.initDataUnsafe?.start_param ?? null, user: webApp.initDataUnsafe?.user ?? null };
    const symbol = startSymbol(launch);
    if (symbol && (hash === '' || hash === '/')) history.replaceState(null, '', `${location.pathname}${location.search}#/report/${symbol}`);
    keep(launch);
    return launch;
  }
  if (hash.startsWith('tgWebApp')) {
    const params = new URLSearchParams(hash);
    const launch = { initData: params.get('tgWebAppData') ?? '', theme: {}, startParam: params.get('tgWebAppStartParam') };
    try {
      launch.theme = JSON.parse(params.get('tgWebAppThemeParams') ?? '{}');
    } catch {
      launch.theme = {};
    }
    keep(launch);
    // The hash belongs to the router: a start parameter `report_SYMBOL` opens that report, anything else the list.
    const symbol = startSymbol(launch);
    history.replaceState(null, '', symbol ? `#/report/${symbol}` : '#/');
    return launch;
  }
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return null;
  }
}

const launch = readLaunch();

function postEvent(eventType, eventData = {}) {
  const data = JSON.stringify(eventData);
  if (window.TelegramWebviewProxy?.postEvent) window.TelegramWebviewProxy.postEvent(eventType, data);
  else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType, eventData }), '*');
}

/** Telegram's init data of this session, for `X-Telegram-Init-Data`; null outside Telegram. */
export function telegramInitData() {
  return launch?.initData || null;
}

export const inTelegram = launch !== null;

/**
 * The Telegram user's `language_code` (`th`, `en`, `ru`…), or null: from `initDataUnsafe.user`, else from the `user`
 * field of the init data itself. Only a display preference: nothing is trusted from it.
 */
export function telegramLanguageCode() {
  if (!launch) return null;
  let user = launch.user;
  if (!user) {
    try {
      user = JSON.parse(new URLSearchParams(launch.initData ?? '').get('user') ?? 'null');
    } catch {
      user = null;
    }
  }
  return typeof user?.language_code === 'string' && user.language_code !== '' ? user.language_code : null;
}

function onTelegramEvent(eventType) {
  if (eventType === 'back_button_pressed') history.back();
}

if (inTelegram) {
  const root = document.documentElement;
  for (const [key, variable] of Object.entries(THEME_VARIABLES)) {
    const colour = launch.theme?.[key];
    if (typeof colour === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(colour)) root.style.setProperty(variable, colour);
  }
  root.classList.add('in-telegram');
  // The apps call window.Telegram.WebView.receiveEvent; Telegram Web posts a message to the frame.
  window.Telegram = window.Telegram ?? {};
  window.Telegram.WebView = { ...(window.Telegram.WebView ?? {}), receiveEvent: (eventType) => onTelegramEvent(eventType) };
  window.addEventListener('message', (event) => {
    try {
      const { eventType } = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
      if (typeof eventType === 'string') onTelegramEvent(eventType);
    } catch {
      // Not a Telegram event.
    }
  });
  const syncBackButton = () => {
    const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
    postEvent('web_app_setup_back_button', { is_visible: path !== '/' });
  };
  window.addEventListener('hashchange', syncBackButton);
  syncBackButton();
  postEvent('web_app_ready');
  postEvent('web_app_expand');
}
