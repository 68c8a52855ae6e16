import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Row } from './mapping.js';
import { WarehouseError, type RowBatch } from './warehouse-connection.js';

/**
 * The rows of a CSV file (UTF-8, a header row naming the columns) in batches, parsed as the
 * bytes arrive: a large upload is never held whole. A malformed file fails naming the line.
 */
export async function* csvRows(input: Readable, batchSize: number): AsyncGenerator<RowBatch> {
  let columns: string[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => (columns = header.map((name) => name.trim())),
      skip_empty_lines: true,
      trim: true,
    }),
  );
  input.once('error', (error) => parser.destroy(error));
  let rows: Row[] = [];
  let yielded = false;
  try {
    for await (const record of parser as AsyncIterable<Row>) {
      rows.push(record);
      if (rows.length >= batchSize) {
        yielded = true;
        yield { columns, rows };
        rows = [];
      }
    }
  } catch (error) {
    throw new WarehouseError(`the CSV file could not be read: ${(error as Error).message}`);
  }
  if (rows.length > 0 || !yielded) yield { columns, rows };
}
