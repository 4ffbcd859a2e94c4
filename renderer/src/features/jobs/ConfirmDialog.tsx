import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal question with a confirm and a back button (the native <dialog>: focus is kept inside,
 * Esc goes back). `danger` colours the confirm button for actions that cannot be undone.
 */
export function ConfirmDialog(props: { title: string; children?: ReactNode; confirm: string; danger?: boolean; onConfirm: () => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault() // Esc: closed through onClose, so React state and the dialog agree
        props.onClose()
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
      <div className="actions">
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} autoFocus={!props.danger}>
          {props.confirm}
        </button>
        <button type="button" onClick={props.onClose} autoFocus={props.danger}>
          Back
        </button>
      </div>
    </dialog>
  )
}
