// result_rows as a rowid table (its PRIMARY KEY an index beside it) instead of WITHOUT ROWID. A WITHOUT
// ROWID table keeps each row in its primary-key b-tree, whose cells hold at most about 1,000 bytes of a
// 4 kB page; the rest of a longer row goes to an overflow page of its own. Result rows are often longer
// (JSON of a row of many columns, cells up to 64 kB): 60,000 rows of 1.2 kB took 281 MB as WITHOUT ROWID
// and 83 MB as a rowid table for 71 MB of data, and WAL writes and checkpoints shrink with it; lines of
// 220 characters take the same room either way (docs/PERFORMANCE.md, bench/result-rows-layout.ts).
// The rows are copied in key order in the migration's transaction: 16 s for a 1.1 GB table (270 MB of
// rows), 91 s for 4.3 GB (1.1 GB of rows) on 2 busy cores, so a large upgrade says so at startup
// (connection.ts). The old table's pages stay in the file as free pages, which later writes reuse.
// Nothing references result_rows, so dropping it with foreign keys on deletes nothing else; rows still
// go with their set (ON DELETE CASCADE).
export default `
CREATE TABLE result_rows_new (
  result_set_id INTEGER NOT NULL REFERENCES result_sets(id) ON DELETE CASCADE,
  row_no INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (result_set_id, row_no)
);
INSERT INTO result_rows_new (result_set_id, row_no, data) SELECT result_set_id, row_no, data FROM result_rows ORDER BY result_set_id, row_no;
DROP TABLE result_rows;
ALTER TABLE result_rows_new RENAME TO result_rows;
`
