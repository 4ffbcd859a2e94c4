// The characters of stored row JSON a result set holds (#9 §2): a sort or filter reads every byte of
// the set, so whether it may run on the main thread follows bytes as well as cells (2,000 cells of
// 64 kB are 128 MB). NULL for sets written before this: unknown, so such a set is sorted in a worker.
// ADD COLUMN without a default rewrites no row.
export default `ALTER TABLE result_sets ADD COLUMN byte_size INTEGER;`
