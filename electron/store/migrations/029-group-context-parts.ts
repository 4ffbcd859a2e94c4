// A foreach's groups share the constants mapped into their sub-contexts (a read-only list or map,
// shared, not copied per item: workflows/rillflow/value-budget.ts shareReadOnly), but each group's row
// held its own copy: a 0.95 MB constant was serialized for every item (~180 ms each) and stored N
// times. Such a value at a sub-context's top level is now a part (task_spec_parts, migration 027),
// stored once per job; `task_groups.context_parts` maps its key to the part's id (`{"big":42}`;
// since atk39 a list of [path, id, index?], any depth, small values bundled: group.repository.ts
// PartRef, both read) and the context text holds null in its place. Rows stored before have it NULL and read as they always
// did. Added only if missing: harmless if run again at another position (a branch's own 029).
import type { Db } from '../connection'

export default function groupContextParts(db: Db): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('task_groups')").all()
  if (!columns.some((c) => c.name === 'context_parts')) db.exec('ALTER TABLE task_groups ADD COLUMN context_parts TEXT')
}
