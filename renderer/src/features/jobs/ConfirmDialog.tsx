import type { ReactNode } from 'react'
import { Dialog } from '../shell/Dialog'

/**
 * A modal question with a confirm and a back button (Dialog: Esc or the backdrop goes back).
 * `danger` colours the confirm button for actions that cannot be undone, and then Back has the
 * focus, so a stray Enter does not confirm. `disabled` greys the confirm button when there is
 * nothing to do (a bulk action all of whose jobs were left out) or not yet (the Rerun question
 * while it reads the code it shows).
 */
export function ConfirmDialog(props: { title: string; children?: ReactNode; confirm: string; danger?: boolean; disabled?: boolean; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog
      title={props.title}
      label={props.title}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} disabled={props.disabled} data-autofocus={props.danger || props.disabled ? undefined : true}>
            {props.confirm}
          </button>
          <button type="button" onClick={props.onClose} data-autofocus={props.danger || props.disabled ? true : undefined}>
            Back
          </button>
        </>
      }
    >
      {props.children}
    </Dialog>
  )
}
