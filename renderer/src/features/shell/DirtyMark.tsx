/**
 * The mark of an editor's unsaved edits, shown next to what is edited (Workflows' descriptor,
 * Scripts' open script): "edited" when it was saved before (`saved`), "not saved" when it never was.
 */
export function DirtyMark({ saved, title }: { saved: boolean; title?: string }) {
  return (
    <span className="dirty-mark" title={title}>
      {saved ? 'edited' : 'not saved'}
    </span>
  )
}
