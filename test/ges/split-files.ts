// A GES vertex file big enough that its split takes a moment (tests of the split's progress), written
// chunk by chunk into a test's temp folder, never committed.
import { closeSync, openSync, writeSync } from 'node:fs'

/** A schema file of one vertex label `user` (Name string, Age int), as GES's PMML has it. */
export const GES_USER_SCHEMA = `<?xml version="1.0"?><PMML version="3.0"><labels>
<label name="user"><properties><property name="Name" cardinality="single" dataType="string"/><property name="Age" cardinality="single" dataType="int"/></properties></label>
</labels></PMML>`

/** Writes `lines` vertex lines `u<i>,user,Name <i>,<age>` to `file`; returns its size in bytes. */
export function writeBigVertexFile(file: string, lines = 1_000_000): number {
  const fd = openSync(file, 'w')
  let bytes = 0
  try {
    for (let i = 0; i < lines; i += 50_000) {
      let chunk = ''
      for (let k = i; k < Math.min(lines, i + 50_000); k++) chunk += `u${k},user,Name number ${k},${k % 90}\n`
      bytes += writeSync(fd, chunk)
    }
  } finally {
    closeSync(fd)
  }
  return bytes
}
