/**
 * A small Markdown renderer for the narrative's subset: `#`–`######` headings, paragraphs, `> ` quotes, `- ` and
 * `1. ` lists, `---` rules, **bold**, __bold__, _italic_, *italic*, `code` and [links](https://…).
 *
 * It builds DOM nodes and puts every piece of text in a text node, so nothing the narrative contains (an LLM wrote
 * part of it) is ever parsed as HTML: no innerHTML, no escaping to get wrong. Links keep http(s) targets only.
 */

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const LEADING_EMOJI = /^((?:\p{Extended_Pictographic}\uFE0F?\u200D?)+)\s*/u;
const RULE = /^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;

/**
 * Inline spans, earliest first: code, bold (** or __), italic (* or _ — underscores only at word edges, so
 * snake_case survives), links with an http(s) target.
 */
const INLINE =
  /`([^`\n]+)`|\*\*(?=\S)([\s\S]+?)\*\*|__(?=\S)([\s\S]+?)__|\*(?=[^\s*])([^*]+?)\*|(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]+?)_(?![\p{L}\p{N}_])|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/gu;

const MAX_DEPTH = 8;

/**
 * @param {string} markdown
 * @param {{ headingOffset?: number, document?: Document }} [options] headingOffset shifts heading levels so the
 *   narrative's `## ` sits under the page's own headings (1 turns `##` into `<h3>`).
 * @returns {DocumentFragment}
 */
export function renderMarkdown(markdown, options = {}) {
  const doc = options.document ?? document;
  const offset = options.headingOffset ?? 0;
  const fragment = doc.createDocumentFragment();
  renderBlocks(String(markdown ?? '').replace(/\r\n?/g, '\n').split('\n'), fragment, doc, offset, 0);
  return fragment;
}

function renderBlocks(lines, parent, doc, offset, depth) {
  let paragraph = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const p = doc.createElement('p');
    appendInline(p, paragraph.map((l) => l.trim()).join(' '), doc, depth);
    parent.append(p);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1].length + offset);
      const el = doc.createElement(`h${level}`);
      // The narrative's headings open with an emoji: decoration, hidden from screen readers.
      const icon = LEADING_EMOJI.exec(heading[2]);
      if (icon) {
        const span = doc.createElement('span');
        span.className = 'heading-icon';
        span.setAttribute('aria-hidden', 'true');
        span.textContent = icon[1];
        el.append(span, doc.createTextNode(' '));
      }
      appendInline(el, icon ? heading[2].slice(icon[0].length) : heading[2], doc, depth);
      parent.append(el);
      continue;
    }
    if (RULE.test(line)) {
      flush();
      parent.append(doc.createElement('hr'));
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const inner = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])[1]);
      i--;
      const quote = doc.createElement('blockquote');
      if (depth < MAX_DEPTH) renderBlocks(inner, quote, doc, offset, depth + 1);
      else quote.append(doc.createTextNode(inner.join(' ')));
      parent.append(quote);
      continue;
    }
    const listKind = BULLET.test(line) ? BULLET : ORDERED.test(line) ? ORDERED : null;
    if (listKind) {
      flush();
      const list = doc.createElement(listKind === BULLET ? 'ul' : 'ol');
      while (i < lines.length && listKind.test(lines[i])) {
        const li = doc.createElement('li');
        appendInline(li, listKind.exec(lines[i++])[1], doc, depth);
        list.append(li);
      }
      i--;
      parent.append(list);
      continue;
    }
    paragraph.push(line);
  }
  flush();
}

function appendInline(parent, text, doc, depth) {
  if (depth > MAX_DEPTH) {
    parent.append(doc.createTextNode(text));
    return;
  }
  const pattern = new RegExp(INLINE.source, INLINE.flags);
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) parent.append(doc.createTextNode(text.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const code = doc.createElement('code');
      code.textContent = m[1];
      parent.append(code);
    } else if (m[2] !== undefined || m[3] !== undefined) {
      const strong = doc.createElement('strong');
      appendInline(strong, m[2] ?? m[3], doc, depth + 1);
      parent.append(strong);
    } else if (m[4] !== undefined || m[5] !== undefined) {
      const em = doc.createElement('em');
      appendInline(em, m[4] ?? m[5], doc, depth + 1);
      parent.append(em);
    } else {
      const a = doc.createElement('a');
      a.href = m[7];
      a.rel = 'noopener noreferrer nofollow';
      a.target = '_blank';
      appendInline(a, m[6], doc, depth + 1);
      parent.append(a);
    }
  }
  if (last < text.length) parent.append(doc.createTextNode(text.slice(last)));
}
