import { useLayoutEffect, useRef, type FormEvent, type MouseEvent, type ReactNode } from 'react'

/**
 * A modal dialog: a title, a body and a row of actions, on the native <dialog> (focus is kept
 * inside and returns to where it was when it closes). Esc and a click on the backdrop close it
 * through `onClose`, so React state and the dialog agree. With `onSubmit` the body and actions are
 * a form (Enter submits; the fields are checked by the caller, not the browser) and, unless
 * `actions` says otherwise, its actions are a `submit` button (primary) and a `close` one. It
 * focuses the element marked `data-autofocus` once open, else the browser's first focusable one.
 */
export function Dialog(props: {
  title: ReactNode
  /** The dialog's accessible name. */
  label: string
  className?: string
  onClose: () => void
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void
  /** The form's buttons' words: `submit` (default "Run") and `close` (default "Close"). */
  submit?: string
  close?: string
  actions?: ReactNode
  children?: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const pressedOutside = useRef(false)
  // a layout effect: its cleanup closes the dialog before React removes it, and focus goes back
  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement
    if (!dialog.open) dialog.showModal()
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus() // React's autoFocus ran while the dialog was closed
    return () => {
      dialog.close()
      if (opener instanceof HTMLElement && opener.isConnected && !dialog.contains(opener)) opener.focus()
    }
  }, [])
  // a press and release both outside the dialog's box (on its backdrop): a drag out of a field is not a close
  const outside = (e: MouseEvent<HTMLDialogElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    return e.target === e.currentTarget && (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom)
  }
  const body = (
    <>
      <h2>{props.title}</h2>
      {props.children}
      <div className="actions">
        {props.actions ?? (
          <>
            <button type="submit" className="primary">
              {props.submit ?? 'Run'}
            </button>
            <button type="button" onClick={props.onClose}>
              {props.close ?? 'Close'}
            </button>
          </>
        )}
      </div>
    </>
  )
  return (
    <dialog
      ref={ref}
      className={props.className ? `confirm ${props.className}` : 'confirm'}
      aria-label={props.label}
      onCancel={(e) => {
        e.preventDefault() // Esc: closed through onClose
        props.onClose()
      }}
      onMouseDown={(e) => (pressedOutside.current = outside(e))}
      onClick={(e) => {
        if (pressedOutside.current && outside(e)) props.onClose()
        pressedOutside.current = false
      }}
    >
      {props.onSubmit ? (
        <form onSubmit={props.onSubmit} noValidate>
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  )
}
