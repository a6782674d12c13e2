/**
 * The static snapshot of the read side (DESIGN §13): the web page and its assets, and the read API as plain files
 * under `api/v1/`, so any static host or CDN serves the product with no Daybreak process running.
 *
 * The snapshot is written to a temporary directory next to `outDir` and renamed into place, so a reader (or an
 * `aws s3 sync`) never sees half of one: it sees the previous snapshot, then the new one. A directory that is not a
 * snapshot is never replaced.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { ReportCache } from '../http/report-cache.js';
import { sarabunRoot } from '../http/static-routes.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { Language } from '../report/narrative-contract.js';
import type { Store } from '../store/store.js';
import { SNAPSHOT_FILES, type SnapshotContext } from './snapshot-files.js';

/** Written last into every snapshot; its presence is what lets a later export replace the directory. */
export const SNAPSHOT_MARKER = 'api/v1/snapshot.json';

export interface ExportOptions {
  store: Store;
  registry: TickerRegistry;
  /** The latest reports, loaded (serve passes its own; the CLI loads one). */
  cache: ReportCache;
  /** The web page's folder (index.html, the ES modules, styles.css); undefined: the snapshot holds the API only. */
  webRoot: string | undefined;
  outDir: string;
  now: () => Date;
  language: Language;
}

export interface ExportResult {
  out_dir: string;
  exported_at: string;
  files: number;
  bytes: number;
  reports: number;
  charts: number;
  duration_ms: number;
}

/** Writes the snapshot and swaps it into `outDir`. */
export async function exportSnapshot(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const out = resolve(options.outDir);
  await assertReplaceable(out);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(out)}.tmp-`));
  const exportedAt = options.now().toISOString();
  let files = 0;
  let bytes = 0;
  const write = async (path: string, body: string | Uint8Array) => {
    const target = join(tmp, path);
    if (!target.startsWith(tmp + '/')) throw new Error(`snapshot path escapes the snapshot: ${path}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, body);
    files++;
    bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  };
  try {
    if (options.webRoot) await writeWebPage(options.webRoot, write, exportedAt);
    const ctx: SnapshotContext = { store: options.store, registry: options.registry, cache: options.cache, exportedAt, language: options.language };
    const counts: Record<string, number> = {};
    for (const source of SNAPSHOT_FILES) {
      for await (const file of source.files(ctx)) {
        await write(file.path, file.body);
        counts[source.name] = (counts[source.name] ?? 0) + 1;
      }
    }
    const reports = counts.reports ?? 0;
    const charts = counts.charts ?? 0;
    await write(
      SNAPSHOT_MARKER,
      JSON.stringify(
        { exported_at: exportedAt, today: options.cache.today(), reports, charts, files: SNAPSHOT_FILES.map((s) => s.name) },
        null,
        2,
      ),
    );
    await swapInto(tmp, out);
    return {
      out_dir: out,
      exported_at: exportedAt,
      files,
      bytes,
      reports,
      charts,
      duration_ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** The page, with `data-snapshot` on its root element so it reads the files instead of the live API. */
async function writeWebPage(webRoot: string, write: (path: string, body: string | Uint8Array) => Promise<void>, exportedAt: string) {
  for (const entry of await readdir(webRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = join(entry.parentPath ?? webRoot, entry.name).slice(resolve(webRoot).length + 1);
    const body = await readFile(join(webRoot, relative));
    if (relative === 'index.html') {
      const html = body.toString('utf8');
      if (!/<html\b/.test(html)) throw new Error('the web page\'s index.html has no <html> element');
      await write('index.html', html.replace(/<html\b/, `<html data-snapshot="${exportedAt}"`));
    } else {
      await write(join('assets', relative), body);
    }
  }
  // The font files the page refers to (the CSS and the preload), not every weight the package ships.
  // The Sarabun files the page's CSS loads: the same ones serve hands out under /assets/fonts/sarabun/.
  const fonts = sarabunRoot();
  if (!fonts) return;
  const referenced = new Set<string>();
  for (const file of ['index.html', 'styles.css']) {
    const text = existsSync(join(webRoot, file)) ? await readFile(join(webRoot, file), 'utf8') : '';
    for (const m of text.matchAll(/fonts\/sarabun\/([\w/-]+\.ttf)/g)) referenced.add(m[1]!);
  }
  for (const font of referenced) {
    const path = resolve(fonts, font);
    if (path.startsWith(fonts + '/') && existsSync(path)) await write(join('assets/fonts/sarabun', font), await readFile(path));
  }
}

/** Refuses to replace anything but an earlier snapshot or an empty directory. */
async function assertReplaceable(out: string): Promise<void> {
  let info;
  try {
    info = await stat(out);
  } catch {
    return;
  }
  if (!info.isDirectory()) throw new InputError(`--out ${out} exists and is not a directory`);
  if (existsSync(join(out, SNAPSHOT_MARKER))) return;
  if ((await readdir(out)).length === 0) return;
  throw new InputError(`--out ${out} is a directory that is not a Daybreak snapshot (no ${SNAPSHOT_MARKER}): choose a new or empty directory`);
}

/**
 * Two renames in one directory: the old snapshot aside, the new one in its place, then the old one removed. A reader
 * sees the old snapshot or the new one whole; between the renames (microseconds) the path is briefly absent.
 */
async function swapInto(tmp: string, out: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const aside = `${out}.old-${randomBytes(4).toString('hex')}`;
    let moved = false;
    try {
      await rename(out, aside);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await rename(tmp, out);
    } catch (error) {
      // Put the old snapshot back unless another export swapped its own in between our renames; then go round again.
      if (moved) await rename(aside, out).catch(() => rm(aside, { recursive: true, force: true }));
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 3) continue;
      throw error;
    }
    if (moved) await rm(aside, { recursive: true, force: true });
    return;
  }
}
