import { RILLFLOW_LOOPBACK_BRIEF, RILLFLOW_LOOPBACK_NOTE, RILLFLOW_LOOPBACK_USER } from '../../../../shared/rillflow-caller'
import { SafeText } from './SafeText'

/**
 * A user name as the UI shows it (a job's submitter, a workflow's owner), through SafeText. The name
 * credential-less Rill Flow calls record (RILLFLOW_LOOPBACK_USER) is no account anyone can find in
 * Settings, so it says what it is: a muted note after it (`brief`: a few words, for a list's line),
 * and the whole note as its title.
 */
export function UserName({ name, brief = false }: { name: string; brief?: boolean }) {
  if (name !== RILLFLOW_LOOPBACK_USER) return <SafeText text={name} />
  return (
    <span title={RILLFLOW_LOOPBACK_NOTE} data-testid="loopback-user">
      {name} <span className="muted">({brief ? RILLFLOW_LOOPBACK_BRIEF : RILLFLOW_LOOPBACK_NOTE})</span>
    </span>
  )
}
