import { create } from 'zustand'
import type { Route } from '../../stores/route'
import { Dialog } from './Dialog'

/** An editor's unsaved edits, as the leave guard asks about them. */
export interface UnsavedWork {
  /** What is edited, as the question names it ("Discard unsaved changes to daily-report?"). */
  name: string
  /** Whether the editor stays on screen at `to` (its own page, the same workflow): no need to ask. */
  keeps(to: Route): boolean
  /** Saves the edits; false when that failed (the editor says why) and the user stays. None: Discard or Cancel only. */
  save?: () => Promise<boolean>
  /** Drops the edits: the editor goes back to what it was opened from. */
  discard(): void
}

/** Each editor's reader of its unsaved edits (null: none). */
const sources = new Set<() => UnsavedWork | null>()

/** Adds an editor whose unsaved edits leaving asks about. Returns the stop function. */
export function registerUnsaved(source: () => UnsavedWork | null): () => void {
  sources.add(source)
  return () => sources.delete(source)
}

/** The unsaved edits going to `to` would take off screen (any unsaved edits, without `to`). */
export function unsavedWork(to?: Route): UnsavedWork | null {
  for (const source of sources) {
    const work = source()
    if (work && !(to && work.keeps(to))) return work
  }
  return null
}

interface Question {
  work: UnsavedWork
  answer(leave: boolean): void
}

const useQuestion = create<{ asking: Question | null }>(() => ({ asking: null }))

/**
 * Whether the user may go to `to`: yes when no editor has unsaved edits it would take off screen;
 * otherwise the user is asked "Discard unsaved changes to <name>?" and answers Save (saved, then
 * yes; no when saving failed), Discard (dropped, yes) or Cancel (no), as editors such as VS Code and
 * n8n ask. `work` asks about edits that `to` does not say (another workflow opened in place).
 */
export function mayLeave(to?: Route, work: UnsavedWork | null = unsavedWork(to)): Promise<boolean> {
  if (!work) return Promise.resolve(true)
  useQuestion.getState().asking?.answer(false) // one question at a time: the newer one wins
  return new Promise((resolve) => {
    useQuestion.setState({
      asking: {
        work,
        answer: (leave) => {
          useQuestion.setState({ asking: null })
          resolve(leave)
        },
      },
    })
  })
}

/** The question mayLeave asks, drawn once in the shell. */
export function LeavePrompt() {
  const asking = useQuestion((s) => s.asking)
  if (!asking) return null
  const { work, answer } = asking
  const save = work.save
  return (
    <Dialog
      label="unsaved changes"
      title={`Discard unsaved changes to ${work.name}?`}
      onClose={() => answer(false)}
      actions={
        <>
          {save && (
            <button className="primary" data-autofocus onClick={() => void save().then(answer)}>
              Save
            </button>
          )}
          <button
            className={save ? undefined : 'primary'}
            data-autofocus={save ? undefined : true}
            onClick={() => {
              work.discard()
              answer(true)
            }}
          >
            Discard
          </button>
          <button onClick={() => answer(false)}>Cancel</button>
        </>
      }
    >
      <p className="muted">Your edits to {work.name} are not saved{save ? '. Save them first, or leave them behind.' : '.'}</p>
    </Dialog>
  )
}

/** Asks before the window is closed or reloaded while any editor has unsaved edits (the browser's own prompt). Returns the stop function. */
export function guardUnload(): () => void {
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!unsavedWork()) return
    e.preventDefault()
    e.returnValue = '' // older Chromium (Electron) wants this set as well
  }
  window.addEventListener('beforeunload', onBeforeUnload)
  return () => window.removeEventListener('beforeunload', onBeforeUnload)
}
