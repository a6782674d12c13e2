import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.js';

const require = createRequire(import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * The web page's folder: `src/http/web` next to this module under vitest, and the same folder of the source tree
 * when running from `dist/` (tsc does not copy it). Undefined when neither exists.
 */
export function findWebRoot(): string | undefined {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../src/http/web/', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html')));
}

/** The Sarabun font files (Latin + Thai) the charts use, so the page draws Thai the same way without a font CDN. */
export function sarabunRoot(): string | undefined {
  try {
    return dirname(dirname(require.resolve('@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf')));
  } catch {
    return undefined;
  }
}

/** ECharts' browser build, for the live chart of narrow screens (live-chart.js). */
function echartsDist(): string | undefined {
  try {
    return dirname(require.resolve('echarts/dist/echarts.esm.min.mjs'));
  } catch {
    return undefined;
  }
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Daybreak</title></head>
<body><h1>Daybreak</h1><p>The web page is not installed in this build. The API is here:
<a href="/api/v1/tickers">/api/v1/tickers</a>, <a href="/api/v1/health">/api/v1/health</a>,
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>
`;

/**
 * Serves the web page: `/` is `index.html`, `/assets/<path>` any file of the web folder, `/assets/fonts/sarabun/…`
 * the bundled fonts. Files are read once and kept while their mtime and size stay the same (a stat per request), with
 * a weak ETag and `no-cache` so a new deployment shows at once; fonts are cached for a week. Paths are resolved
 * inside their root only.
 */
export function registerStaticRoutes(app: FastifyInstance, webRoot: string | undefined): void {
  const files = new Map<string, CachedFile>();
  const fonts = sarabunRoot();
  const echarts = echartsDist();

  async function serveFile(
    request: FastifyRequest,
    reply: FastifyReply,
    root: string,
    relative: string,
    cacheControl: string,
    only?: readonly string[],
  ) {
    let path: string;
    try {
      path = resolve(root, decodeURIComponent(relative));
    } catch {
      throw new HttpError(400, 'bad_request', 'malformed path');
    }
    const ext = extname(path).toLowerCase();
    const type = only && !only.includes(ext) ? undefined : CONTENT_TYPES[ext];
    if (!path.startsWith(root.endsWith(sep) ? root : root + sep) || relative.includes('\0') || !type) {
      throw new HttpError(404, 'not_found', `no file ${request.url.split('?')[0]}`);
    }
    let info;
    try {
      info = await stat(path);
    } catch {
      info = undefined;
    }
    if (!info?.isFile()) throw new HttpError(404, 'not_found', `no file ${request.url.split('?')[0]}`);
    let file = files.get(path);
    if (!file || file.mtimeMs !== info.mtimeMs || file.size !== info.size) {
      file = { mtimeMs: info.mtimeMs, size: info.size, body: await readFile(path), etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
      files.set(path, file);
    }
    reply.header('etag', file.etag).header('cache-control', cacheControl).header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(type).send(file.body);
  }

  const hide = { schema: { hide: true } };

  app.get('/', hide, async (request, reply) => {
    if (!webRoot) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PLACEHOLDER);
    return serveFile(request, reply, webRoot, 'index.html', 'no-cache');
  });

  app.get<{ Params: { '*': string } }>('/assets/fonts/sarabun/*', hide, async (request, reply) => {
    if (!fonts) throw new HttpError(404, 'not_found', 'fonts are not installed');
    return serveFile(request, reply, fonts, request.params['*'], 'public, max-age=604800', ['.ttf']);
  });

  app.get('/assets/vendor/echarts.esm.min.mjs', hide, async (request, reply) => {
    if (!echarts) throw new HttpError(404, 'not_found', 'ECharts is not installed');
    return serveFile(request, reply, echarts, 'echarts.esm.min.mjs', 'public, max-age=604800');
  });

  app.get<{ Params: { '*': string } }>('/assets/*', hide, async (request, reply) => {
    if (!webRoot) throw new HttpError(404, 'not_found', 'the web page is not installed in this build');
    return serveFile(request, reply, webRoot, request.params['*'], 'no-cache');
  });
}
