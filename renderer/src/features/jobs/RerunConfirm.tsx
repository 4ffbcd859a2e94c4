import type { JobDetail } from '../../../../shared/model'
import { hasHiddenChars, SafeText, visibleText } from '../shell/SafeText'
import { ConfirmDialog } from './ConfirmDialog'
import { VariableLines, whatRuns } from './JobFacts'

/**
 * The question before rerunning another user's job: the rerun runs as the one who clicks (jobs.rerun
 * submits it as the actor, not the original submitter), so an admin would run that user's code with
 * the admin's rights. It names who runs it and shows the code or input with hidden characters marked.
 */
export function RerunConfirm({ detail, me, onConfirm, onClose }: { detail: JobDetail; me: string; onConfirm: () => void; onClose: () => void }) {
  const ran = whatRuns(detail)
  const text = ran.code ?? ran.input
  // in a variable a line break is hidden too: one value must not read as two variables
  const hidden =
    (text !== undefined && hasHiddenChars(text, { multiline: true })) || (ran.variables ?? []).some((v) => hasHiddenChars(v.name) || hasHiddenChars(v.value))
  return (
    <ConfirmDialog title={`Rerun job #${detail.id} as ${visibleText(me)}?`} confirm={`Rerun as ${visibleText(me)}`} onConfirm={onConfirm} onClose={onClose}>
      <p data-testid="rerun-runs-as">
        This job was submitted by <strong><SafeText text={detail.submitter} /></strong>. Its rerun runs as you (<strong><SafeText text={me} /></strong>), with your rights.
      </p>
      {hidden && (
        <p className="warn-text" data-testid="rerun-hidden-warning">
          It holds invisible or direction-changing characters, or line breaks inside a variable's value, marked ⟨U+…⟩ below: the text may not read as what runs.
        </p>
      )}
      {text !== undefined && (
        <pre className="code rerun-code" data-testid="rerun-code">
          <SafeText text={text} multiline />
        </pre>
      )}
      {ran.variables !== undefined && <VariableLines variables={ran.variables} testId="rerun-variables" />}
    </ConfirmDialog>
  )
}
