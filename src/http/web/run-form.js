import { API, ApiError, api } from './api.js';
import { announce, h } from './dom.js';

const TOKEN_KEY = 'daybreak.adminToken';

/**
 * Starts a run through `POST /api/v1/precompute`. The admin token is kept in sessionStorage only: it lasts as long as
 * the tab and is never written anywhere else.
 */
export function runForm({ onlyFailed }) {
  const saved = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const idSuffix = onlyFailed ? '-failed' : '';
  const tokenInput = h('input', { type: 'password', id: `admin-token${idSuffix}`, name: 'token', autocomplete: 'off', required: true, value: saved, spellcheck: 'false' });
  const tickersInput = onlyFailed ? null : h('input', { type: 'text', id: `run-tickers${idSuffix}`, name: 'tickers', placeholder: 'all active tickers', autocomplete: 'off', spellcheck: 'false' });
  const limitInput = onlyFailed ? null : h('input', { type: 'number', id: `run-limit${idSuffix}`, name: 'limit', min: 1, step: 1, inputmode: 'numeric', placeholder: 'no limit' });
  const message = h('p', { class: 'form-message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, onlyFailed ? 'Re-run failed tickers' : 'Run now');
  const forget = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: () => {
        sessionStorage.removeItem(TOKEN_KEY);
        tokenInput.value = '';
        message.textContent = 'Token forgotten.';
      },
    },
    'Forget token',
  );
  const form = h(
    'form',
    {
      class: ['run-form', onlyFailed ? 'run-form--inline' : 'card'],
      id: `run-form${idSuffix}`,
      'aria-label': onlyFailed ? 'Re-run the failed tickers' : 'Start a precompute run',
      onSubmit: async (event) => {
        event.preventDefault();
        const token = tokenInput.value.trim();
        if (!token) {
          message.textContent = 'The admin token is required.';
          tokenInput.focus();
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, token);
        const request = {};
        if (onlyFailed) request.only_failed = onlyFailed;
        const tickers = (tickersInput?.value ?? '').split(/[\s,]+/).filter(Boolean);
        if (tickers.length) request.tickers = tickers;
        if (limitInput?.value) request.limit = Number(limitInput.value);
        submit.disabled = true;
        message.className = 'form-message';
        message.textContent = 'Starting…';
        try {
          const res = await api(`${API}/precompute`, { method: 'POST', body: request, token });
          const id = res?.execution_id;
          message.textContent = `Started ${id}.`;
          announce(`Execution ${id} started.`);
          if (id) location.hash = `#/executions/${encodeURIComponent(id)}`;
        } catch (error) {
          message.className = 'form-message form-message--error';
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
            sessionStorage.removeItem(TOKEN_KEY);
            message.textContent = `The admin token was refused (${error.status}). ${error.message}`;
          } else message.textContent = error instanceof ApiError ? error.message : `Could not reach the server: ${error?.message ?? error}`;
        } finally {
          submit.disabled = false;
        }
      },
    },
    onlyFailed ? null : h('h2', { class: 'run-form__title' }, 'Run now'),
    h(
      'div',
      { class: 'run-form__fields' },
      h('label', { class: 'field', for: tokenInput.id }, h('span', { class: 'field__label' }, 'Admin token'), tokenInput),
      tickersInput ? h('label', { class: 'field field--wide', for: tickersInput.id }, h('span', { class: 'field__label' }, 'Tickers (optional)'), tickersInput) : null,
      limitInput ? h('label', { class: 'field field--narrow', for: limitInput.id }, h('span', { class: 'field__label' }, 'Limit'), limitInput) : null,
      h('div', { class: 'run-form__actions' }, submit, saved ? forget : null),
    ),
    message,
    onlyFailed ? null : h('p', { class: 'small muted' }, 'The token is kept in this tab only (sessionStorage) and sent as a Bearer header.'),
  );
  return form;
}
