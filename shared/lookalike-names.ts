// Names that look like another (#9): `аdmin` with a Cyrillic а, `adrnin`, `a1ice`. A simple skeleton
// in the spirit of Unicode's confusable skeleton (UTS #39), for the letters that matter in account
// names: compatibility forms folded (NFKC: full-width ａ is a), case folded, hidden characters dropped
// (shared/hidden-chars.ts), the Cyrillic and Greek letters that look like Latin ones, and the Latin
// look-alikes of Unicode's confusables.txt within ASCII (0 o; 1 l I i; rn m, vv w, cl d). Two names with
// one skeleton look the same to a reader. The letter lists are not every script's look-alikes (Cherokee,
// Coptic, Lisu … are not in them): the names compared are ASCII (accounts: USERNAME; a name without an
// account: users.service borrowedNameProblem refuses any other character), so what must be complete is
// the ASCII part; the other letters only let a refusal say which account a name reads as.

import { HIDDEN_CHARS } from './hidden-chars'

/** Capitals whose small letter does not look like the Latin one (Cyrillic В is B, в is not b): mapped before case folding. */
const CAPITALS: Record<string, string> = {
  В: 'b', Н: 'h', М: 'm', Т: 't', К: 'k', // Cyrillic
  Β: 'b', Η: 'h', Μ: 'm', Τ: 't', Κ: 'k', Ν: 'n', Ζ: 'z', Ι: 'l', // Greek
}

/** Small letters (and the small forms of capitals) that look like a Latin letter. */
const LETTERS: Record<string, string> = {
  // Cyrillic
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'l', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w', ӏ: 'l', ё: 'e', ї: 'l',
  // Greek
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', υ: 'u', ι: 'l', κ: 'k', χ: 'x', ε: 'e', β: 'b', τ: 't', γ: 'y',
  // Latin digits and letters drawn alike in many fonts
  // i, l, 1 and capital I (lower-cased to i) are one letter: Ian and lan, aIice and alice read alike
  '0': 'o', '1': 'l', ı: 'l', i: 'l', ɪ: 'l', ǀ: 'l', '|': 'l',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', զ: 'q',
}

/**
 * Runs of Latin letters drawn like one letter (confusables.txt: m rn, w vv, d cl), matched after the
 * letters above are mapped, so `cI`, `c1` and `c|` are cl too (i, l, 1, I are one letter here).
 */
const RUNS: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
]

/**
 * The look-alike skeleton of `name`: two names with the same skeleton look the same (`аdmin`, `adrnin`
 * and `ADMIN` all give `admln`: i, l, 1 and I are one letter; `clave` gives `dave`). Not a name itself:
 * only for comparing. Covers the ASCII look-alikes, Cyrillic, Greek and Armenian ones, full-width and
 * other compatibility forms, case, and hidden characters; a letter of another script stays itself.
 */
export function nameSkeleton(name: string): string {
  const visible = name.normalize('NFKC').replace(HIDDEN_CHARS, (ch) => (/^\s+$/u.test(ch) ? ' ' : ''))
  const folded = [...visible].map((ch) => CAPITALS[ch] ?? ch).join('').toLowerCase()
  let out = [...folded.normalize('NFD').replace(/\p{Mn}/gu, '')].map((ch) => LETTERS[ch] ?? ch).join('')
  for (const [run, letter] of RUNS) out = out.replace(run, letter)
  return out
}
