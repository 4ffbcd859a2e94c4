// Attack (atk24): shared/hidden-chars.ts finds hidden characters by General_Category (Cc, Cf) and a
// list of the assigned default-ignorable ones, but Unicode also reserves UNASSIGNED default-ignorable
// code points — U+E0000, U+E0002–U+E001F, U+E0080–U+E00FF, U+E01F0–U+E0FFF (DerivedCoreProperties:
// Default_Ignorable_Code_Point) — which a renderer must draw as nothing, now and when they are
// assigned. They are Cn, so nameCharProblem passes them: `movies` + U+E0080 is a graph (job, script,
// workflow) name of its own that reads as `movies`, and SafeText and the code editor do not mark it
// (the same class, HIDDEN_CHARS). Expected: refused, as U+2065 (the one unassigned ignorable listed) is.
import { describe, expect, it } from 'vitest'
import { hiddenChars, nameCharProblem } from '../../shared/hidden-chars'
import { newGraphNameProblem } from '../../shared/graph-names'

const IGNORABLE_UNASSIGNED = [0xe0000, 0xe0002, 0xe001f, 0xe0080, 0xe00ff, 0xe01f0, 0xe0fff]

describe('unassigned default-ignorable code points in names', () => {
  it.each(IGNORABLE_UNASSIGNED.map((cp) => [cp.toString(16).toUpperCase(), cp]))('refuses U+%s in a name, as U+2065 is', (_hex, cp) => {
    const name = `movies${String.fromCodePoint(cp as number)}`
    expect(nameCharProblem(`movies\u2065`)).toMatch(/U\+2065/) // the one such code point listed today
    expect(nameCharProblem(name)).not.toBeNull()
    expect(newGraphNameProblem(name)).not.toBeNull()
    expect(hiddenChars(`x${String.fromCodePoint(cp as number)}y`)).toHaveLength(1) // what SafeText marks
  })
})
