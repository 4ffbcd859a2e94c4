import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import type { Extension } from '@codemirror/state'
import type { EditorView as View } from '@codemirror/view'
import { EditorView, highlightSpecialChars } from '@codemirror/view'
import { tags } from '@lezer/highlight'
import { codePointOf, hiddenCharName, HIDDEN_IN_MULTILINE } from '../../../../shared/hidden-chars'

// Colours come from CSS variables (styles.css), so the editors follow the light or dark theme
// without being rebuilt.
const look = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--field)', color: 'var(--ink)' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, monospace", lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--subtle)', borderRight: '1px solid var(--line)', color: 'var(--faint)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--ink)' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, ::selection': { backgroundColor: 'var(--cm-selection)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--cm-bracket)', outline: 'none' },
  '.cm-tooltip, .cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--ink)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--selected)', color: 'var(--ink)' },
  '.cm-panels input, .cm-panels button': { color: 'var(--ink)' },
  '&.cm-focused': { outline: 'none' },
})

/** Syntax colours (the `--cm-*` variables), taking over from CodeMirror's light-only default. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--cm-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--cm-string)' },
  { tag: [tags.number, tags.integer, tags.float], color: 'var(--cm-number)' },
  { tag: [tags.bool, tags.null, tags.atom], color: 'var(--cm-atom)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [tags.definition(tags.variableName), tags.function(tags.variableName), tags.definition(tags.propertyName)], color: 'var(--cm-def)' },
  { tag: [tags.propertyName, tags.attributeName], color: 'var(--cm-prop)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--cm-type)' },
  { tag: [tags.meta, tags.processingInstruction, tags.labelName], color: 'var(--cm-meta)' },
  { tag: tags.invalid, color: 'var(--bad)' },
])

/**
 * basicSetup's highlightSpecialChars marks some controls and bidi characters (U+202D, U+202E, U+2066,
 * U+2067, U+2069, …) as a dot, not the other bidi embeddings and isolates, the word joiner, look-alike
 * spaces (U+3000, U+00A0, …) or the Hangul fillers. Text another user wrote (Trojan Source,
 * CVE-2021-42574; `admin` + U+3000) marks every character of the one table (shared/hidden-chars.ts),
 * drawn as SafeText draws it: a chip naming its code point. Copying takes the document's text, the
 * characters themselves.
 */
const hiddenChars = highlightSpecialChars({
  addSpecialChars: HIDDEN_IN_MULTILINE,
  render: (code) => {
    const ch = String.fromCodePoint(code)
    const chip = document.createElement('span')
    chip.className = 'cm-specialChar hidden-char'
    chip.dataset.label = `⟨${codePointOf(ch)}⟩`
    chip.title = `${codePointOf(ch)} ${hiddenCharName(ch)}: a character that is not drawn as itself in this text`
    chip.setAttribute('aria-label', chip.title)
    return chip
  },
})

/** What every code editor of the app shares: layout, the theme's colours, and marks on hidden characters. */
export const editorTheme: Extension = [look, syntaxHighlighting(highlight), hiddenChars]

/**
 * Replaces the whole text when it differs (one undoable change of its own): a value set from outside
 * the editor. The user event keeps the history from joining it to a change made just before (an
 * untagged change within 500 ms is joined: a rename then a delete on the graph undid together).
 */
export function replaceDoc(editor: View | null, value: string): void {
  if (!editor || editor.state.doc.toString() === value) return
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value }, userEvent: 'set' })
}
