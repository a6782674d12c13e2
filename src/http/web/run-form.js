import { API, ApiError, api, errorMessage } from './api.js';
import { announce, h } from './dom.js';
import { S } from './strings.js';

const TOKEN_KEY = 'daybreak.adminToken';

/**
 * Starts a run through `POST /api/v1/precompute`. The admin token is kept in sessionStorage only: it lasts as long as
 * the tab and is never written anywhere else.
 */
export function runForm({ onlyFailed }) {
  const saved = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const idSuffix = onlyFailed ? '-failed' : '';
  const tokenInput = h('input', { type: 'password', id: `admin-token${idSuffix}`, name: 'token', autocomplete: 'off', required: true, value: saved, spellcheck: 'false' });
  const tickersInput = onlyFailed ? null : h('input', { type: 'text', id: `run-tickers${idSuffix}`, name: 'tickers', placeholder: S.runForm.tickersPlaceholder, autocomplete: 'off', spellcheck: 'false' });
  const limitInput = onlyFailed ? null : h('input', { type: 'number', id: `run-limit${idSuffix}`, name: 'limit', min: 1, step: 1, inputmode: 'numeric', placeholder: S.runForm.limitPlaceholder });
  const message = h('p', { class: 'form-message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, onlyFailed ? S.runForm.rerun : S.runForm.runNow);
  const forget = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: () => {
        sessionStorage.removeItem(TOKEN_KEY);
        tokenInput.value = '';
        message.textContent = S.runForm.forgotten;
      },
    },
    S.runForm.forget,
  );
  const form = h(
    'form',
    {
      class: ['run-form', onlyFailed ? 'run-form--inline' : 'card'],
      id: `run-form${idSuffix}`,
      'aria-label': onlyFailed ? S.runForm.rerunLabel : S.runForm.runLabel,
      onSubmit: async (event) => {
        event.preventDefault();
        const token = tokenInput.value.trim();
        if (!token) {
          message.textContent = S.runForm.required;
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
        message.textContent = S.runForm.starting;
        try {
          const res = await api(`${API}/precompute`, { method: 'POST', body: request, token });
          const id = res?.execution_id;
          message.textContent = S.runForm.started(id);
          announce(S.runForm.started(id));
          if (id) location.hash = `#/executions/${encodeURIComponent(id)}`;
        } catch (error) {
          message.className = 'form-message form-message--error';
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
            sessionStorage.removeItem(TOKEN_KEY);
            message.textContent = S.runForm.refused(error.status, errorMessage(error));
          } else message.textContent = errorMessage(error);
        } finally {
          submit.disabled = false;
        }
      },
    },
    onlyFailed ? null : h('h2', { class: 'run-form__title' }, S.runForm.runNow),
    h(
      'div',
      { class: 'run-form__fields' },
      h('label', { class: 'field', for: tokenInput.id }, h('span', { class: 'field__label' }, S.runForm.token), tokenInput),
      tickersInput ? h('label', { class: 'field field--wide', for: tickersInput.id }, h('span', { class: 'field__label' }, S.runForm.tickers), tickersInput) : null,
      limitInput ? h('label', { class: 'field field--narrow', for: limitInput.id }, h('span', { class: 'field__label' }, S.runForm.limit), limitInput) : null,
      h('div', { class: 'run-form__actions' }, submit, saved ? forget : null),
    ),
    message,
    onlyFailed ? null : h('p', { class: 'small muted' }, S.runForm.note),
  );
  return form;
}
