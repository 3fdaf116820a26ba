// Spawned by the lock-wait tests: takes the write lock of a SQLite file, says "locked", holds it
// for the given milliseconds, then commits and exits.
import Database from 'better-sqlite3';

const [filename, holdText] = process.argv.slice(2);
const database = new Database(filename);
database.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
setTimeout(() => {
  database.exec('COMMIT');
  database.close();
}, Number(holdText));
