// Script jobs split a Cypher script into statements at semicolons outside strings, names and comments.
import { describe, expect, it } from 'vitest'
import { splitCypher } from '../../electron/graph/cypher/split'

describe('splitCypher', () => {
  it('splits at top-level semicolons only', () => {
    expect(splitCypher("RETURN 'a;b' AS `x;y`; // c;d\nRETURN \"e\\\";f\" /* g; */;\n\n;  // only a comment\n")).toEqual(["RETURN 'a;b' AS `x;y`", '// c;d\nRETURN "e\\";f" /* g; */'])
  })

  it('keeps a last statement without a semicolon and drops empty ones', () => {
    expect(splitCypher('MATCH (n) RETURN n')).toEqual(['MATCH (n) RETURN n'])
    expect(splitCypher(' ; ;\n')).toEqual([])
  })
})
