import { errorMessage } from '../errors.js';
import type { ExportResult } from './export-snapshot.js';

export interface ExporterLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * `EXPORT_DIR` in `serve`: one export at a time. A request while one runs is remembered and runs once after it, so a
 * burst of finished executions costs at most two exports and the last one always sees the newest reports.
 */
export class SnapshotExporter {
  #running: Promise<void> | undefined;
  #again = false;

  constructor(
    private readonly exportNow: () => Promise<ExportResult>,
    private readonly log: ExporterLog,
  ) {}

  /** Exports now, or after the export in progress; resolves when the snapshot that includes this request is written. */
  request(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          const result = await this.exportNow();
          this.log.info({ out_dir: result.out_dir, reports: result.reports, files: result.files, bytes: result.bytes, duration_ms: result.duration_ms }, 'static snapshot exported');
        } catch (error) {
          this.log.warn({ err: errorMessage(error) }, 'static snapshot export failed; the previous snapshot stays');
        }
      } while (this.#again);
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Waits for the export in progress, if any (at shutdown). */
  async idle(): Promise<void> {
    await this.#running;
  }
}
