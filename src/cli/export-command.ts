import type { Daybreak } from '../composition-root.js';
import { exportSnapshot, type ExportResult } from '../export/export-snapshot.js';
import { ReportCache } from '../http/report-cache.js';
import { findWebRoot } from '../http/static-routes.js';
import type { CliIo } from './cli-io.js';

export interface ExportFlags {
  out: string;
  json?: boolean;
}

/** Writes the static snapshot of `app`'s latest reports to `outDir` (the CLI's `export`, and `serve` with EXPORT_DIR). */
export async function exportApp(app: Daybreak, outDir: string, cache?: ReportCache): Promise<ExportResult> {
  let loaded = cache;
  if (!loaded) {
    loaded = new ReportCache(app.deps.store, { now: app.deps.now });
    await loaded.load();
  }
  return exportSnapshot({ store: app.deps.store, registry: app.deps.registry, cache: loaded, webRoot: findWebRoot(), outDir, now: app.deps.now, language: app.deps.settings.language });
}

/** `daybreak export --out DIR [--json]`: the static snapshot (DESIGN §13). Exit 0, or 2 when DIR cannot be replaced. */
export async function exportCommand(app: Daybreak, flags: ExportFlags, io: CliIo): Promise<number> {
  const result = await exportApp(app, flags.out);
  if (flags.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  io.out(
    `snapshot written to ${result.out_dir}: ${result.reports} report(s), ${result.charts} chart(s), ${result.files} files, ` +
      `${(result.bytes / 2 ** 20).toFixed(1)} MB in ${result.duration_ms} ms`,
  );
  if (result.reports === 0) io.err('warning: the store holds no report yet: run `daybreak precompute` first');
  io.out(`serve it from any static host, e.g. \`python3 -m http.server -d ${flags.out}\`, or publish it: \`aws s3 sync ${flags.out} s3://BUCKET/ --delete\``);
  return 0;
}
