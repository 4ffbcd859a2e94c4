import type { EditorView as View } from '@codemirror/view'
import { EditorView } from '@codemirror/view'

/** The look every code editor of the app shares. */
export const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, monospace", lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: '#fafbfc', borderRight: '1px solid #e2e5eb', color: '#8a91a0' },
  '&.cm-focused': { outline: 'none' },
})

/** Replaces the whole text when it differs (one undoable change): a value set from outside the editor. */
export function replaceDoc(editor: View | null, value: string): void {
  if (!editor || editor.state.doc.toString() === value) return
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } })
}
