import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Row } from './mapping.js';
import { WarehouseError, type RowBatch } from './warehouse-connection.js';

/**
 * The rows of a CSV file (UTF-8, a header row naming the columns) in batches, parsed as the
 * bytes arrive: a large upload is never held whole. A malformed file fails naming the line; an
 * empty one, or one whose bytes are not UTF-8, fails saying so.
 */
export async function* csvRows(input: Readable, batchSize: number): AsyncGenerator<RowBatch> {
  let columns: string[] = [];
  const utf8 = utf8Only();
  const parser = input.pipe(utf8).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => (columns = header.map((name) => name.trim())),
      skip_empty_lines: true,
      trim: true,
    }),
  );
  input.once('error', (error) => parser.destroy(error));
  utf8.once('error', (error) => parser.destroy(error));
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
  if (columns.length === 0) throw new WarehouseError('the CSV file is empty: it needs a header row naming the columns');
  if (rows.length > 0 || !yielded) yield { columns, rows };
}

/**
 * Passes the bytes on as they are, and fails at the first that are not UTF-8: a file saved as
 * Latin-1 would otherwise be sent with U+FFFD in place of its names, and hashed so.
 */
function utf8Only(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const notUtf8 = () => new Error('its bytes are not UTF-8: save it as UTF-8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.decode(chunk, { stream: true });
        done(null, chunk);
      } catch {
        done(notUtf8());
      }
    },
    flush(done) {
      try {
        decoder.decode();
        done();
      } catch {
        done(notUtf8());
      }
    },
  });
}
