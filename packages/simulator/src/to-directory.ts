/**
 * Writes a simulation to four JSON Lines files (events, evaluations, metrics, labels) with
 * buffered streaming writes that wait for the disk when it falls behind.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { simulate } from './simulate.js';
import type { SimRecord, SimulationCounts, SimulationOptions } from './types.js';

/** Characters buffered per file before a write. */
const CHUNK_CHARS = 1 << 20;
/** Events between two progress reports. */
const PROGRESS_EVERY = 100_000;

class JsonlFile {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: CHUNK_CHARS });
  }

  /** Buffers one record; resolves at once unless a full chunk had to wait for the disk. */
  async write(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(resolve);
    });
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/**
 * Runs a simulation into `outDir` (created if missing): events.jsonl, evaluations.jsonl,
 * metrics.jsonl, labels.jsonl, one record per line.
 * @param onProgress called every 100 000 events and once at the end with the counts so far
 * @returns how many records of each kind were written
 */
export async function simulateToDirectory(
  options: SimulationOptions,
  outDir: string,
  onProgress?: (counts: SimulationCounts) => void,
): Promise<SimulationCounts> {
  await mkdir(outDir, { recursive: true });
  const files = {
    event: new JsonlFile(join(outDir, 'events.jsonl')),
    evaluation: new JsonlFile(join(outDir, 'evaluations.jsonl')),
    metric: new JsonlFile(join(outDir, 'metrics.jsonl')),
    label: new JsonlFile(join(outDir, 'labels.jsonl')),
  } satisfies Record<SimRecord['kind'], JsonlFile>;
  const counts: SimulationCounts = { events: 0, evaluations: 0, metrics: 0, labels: 0 };
  try {
    for (const record of simulate(options)) {
      switch (record.kind) {
        case 'event':
          await files.event.write(record.event);
          counts.events++;
          if (counts.events % PROGRESS_EVERY === 0) onProgress?.({ ...counts });
          break;
        case 'evaluation':
          await files.evaluation.write(record.evaluation);
          counts.evaluations++;
          break;
        case 'metric':
          await files.metric.write(record.metric);
          counts.metrics++;
          break;
        case 'label':
          await files.label.write(record.label);
          counts.labels++;
          break;
      }
    }
    await Promise.all(Object.values(files).map((f) => f.close()));
  } catch (err) {
    for (const f of Object.values(files)) f.destroy();
    throw err;
  }
  onProgress?.({ ...counts });
  return counts;
}
