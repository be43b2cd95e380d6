/**
 * Child process for the multi-process SQLite test: opens (and migrates) the
 * database in the given directory, appends `count` one-byte updates to one
 * doc in separate transactions, and prints the seqs it got as JSON.
 */
import { parseDocName } from '../../../shared/ids.js';
import { openDatabase } from '../../db/open.js';
import { createSqlDocStore } from '../sql-store.js';

const [dataDir, docName, countArg, tagArg] = process.argv.slice(2);
const db = await openDatabase({ dataDir: dataDir!, synchronous: 'normal' });
const store = createSqlDocStore(db);
const doc = parseDocName(docName).name;
const seqs: number[] = [];
for (let i = 0; i < Number(countArg); i++) {
  const [seq] = await store.appendMany([{ doc, update: Uint8Array.of(Number(tagArg), i) }]);
  seqs.push(seq!);
}
await store.close();
await db.close();
process.stdout.write(JSON.stringify(seqs));
