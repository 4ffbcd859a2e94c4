import { useEffect, useState } from 'react'
import type { JobDetail, JobSummary } from '../../../../shared/model'
import { send } from '../../api/client'
import { hasHiddenChars, SafeText, visibleText } from '../shell/SafeText'
import { ConfirmDialog } from './ConfirmDialog'
import { VariableLines, whatRuns } from './JobFacts'

/**
 * Whether Rerun asks first: the job is not `me`'s, so its rerun (jobs.rerun, submitted as the one who
 * clicks) would run another user's code with `me`'s rights. The Jobs page and the graph workflow
 * canvas both ask through this.
 */
export const asksBeforeRerun = (job: Pick<JobSummary, 'submitter'>, me: string | undefined): me is string => me !== undefined && job.submitter !== me

/**
 * What a job's rerun runs (jobs.code, as the rerun copies it): a script's code with its variables
 * substituted at the first submit, or a graph workflow's components, each its query or algorithm:
 * `loading` until read, then `code`, or `error` with why it could not be read.
 */
export type CodeAsRun = { state: 'loading' } | { state: 'read'; code: string } | { state: 'error'; error: string }

/** The kinds of job whose rerun the question shows as code (jobs.code reads them): scripts and graph workflows. */
const READS_CODE: ReadonlySet<JobDetail['kind']> = new Set(['script', 'dag'])

/**
 * The question before rerunning another user's job (asksBeforeRerun): the rerun runs as the one who
 * clicks (jobs.rerun submits it as the actor, not the original submitter), so an admin would run that
 * user's code with the admin's rights. It reads what the rerun runs (jobs.code: a script's code, a
 * graph workflow's queries and algorithms) and asks with it (RerunQuestion); other jobs show their input.
 */
export function RerunConfirm({ detail, me, onConfirm, onClose }: { detail: JobDetail; me: string; onConfirm: () => void; onClose: () => void }) {
  const script = READS_CODE.has(detail.kind)
  const [asRun, setAsRun] = useState<CodeAsRun>({ state: 'loading' })
  useEffect(() => {
    if (!script) return
    let current = true
    send('jobs.code', { id: detail.id }).then(
      (tasks) => current && setAsRun(tasks.length > 0 ? { state: 'read', code: tasks.map((t) => t.code).join('\n\n') } : { state: 'error', error: 'it has no code' }),
      (e: unknown) => current && setAsRun({ state: 'error', error: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      current = false
    }
  }, [detail.id, script])
  return <RerunQuestion detail={detail} me={me} asRun={script ? asRun : undefined} onConfirm={onConfirm} onClose={onClose} />
}

/**
 * The Rerun question itself: who runs it (you, with your rights), then what runs, with hidden
 * characters marked: a script's code as it runs (`asRun`; its code as written while that is read,
 * when confirming waits, or if it cannot be) and the variables it was given, one line each; another
 * job's input.
 */
export function RerunQuestion({ detail, me, asRun, onConfirm, onClose }: { detail: JobDetail; me: string; asRun?: CodeAsRun; onConfirm: () => void; onClose: () => void }) {
  const ran = whatRuns(detail)
  const substituted = asRun?.state === 'read' ? asRun.code : undefined
  // a graph workflow's input (its workflow and the run's values) only until its components are read
  const text = substituted ?? ran.code ?? ran.input
  const what = substituted !== undefined || ran.code !== undefined ? (detail.kind === 'dag' ? 'What it runs' : 'Its code') : 'Its input'
  const hiddenInText = text !== undefined && hasHiddenChars(text, { multiline: true })
  // in a variable a line break is hidden too: one value must not read as two variables
  const hiddenInVariables = (ran.variables ?? []).some((v) => hasHiddenChars(v.name) || hasHiddenChars(v.value))
  return (
    // no confirming before the code that runs is on screen (or known to be unreadable)
    <ConfirmDialog
      title={`Rerun job #${detail.id} as ${visibleText(me)}?`}
      confirm={`Rerun as ${visibleText(me)}`}
      disabled={asRun?.state === 'loading'}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p data-testid="rerun-runs-as">
        This job was submitted by <strong><SafeText text={detail.submitter} /></strong>. Its rerun runs as you (<strong><SafeText text={me} /></strong>), with your rights.
      </p>
      {(hiddenInText || hiddenInVariables) && (
        <p className="warn-text" data-testid="rerun-hidden-warning">
          {hiddenInText && `${what} holds invisible, direction-changing or look-alike characters, marked ⟨U+…⟩ below: it may not read as what runs. `}
          {hiddenInVariables && 'A variable’s value holds line breaks or other hidden characters, marked ⟨U+…⟩ below: one value may read as several variables.'}
        </p>
      )}
      {asRun !== undefined && (
        <p className={asRun.state === 'error' ? 'warn-text rerun-caption' : 'muted rerun-caption'} data-testid="rerun-code-caption">
          {detail.kind === 'dag'
            ? asRun.state === 'read'
              ? 'What each component runs, with the values of its first run:'
              : asRun.state === 'loading'
                ? 'Reading what each component runs…'
                : `What each component runs could not be read (${asRun.error}); its input:`
            : asRun.state === 'read'
              ? 'The code as it runs, its variables filled in as they were when it was first submitted:'
              : asRun.state === 'loading'
                ? 'The code as written (reading it as it runs…):'
                : `The code as written: the code as it runs could not be read (${asRun.error}).`}
        </p>
      )}
      {text !== undefined && (
        <pre className="code rerun-code" data-testid="rerun-code">
          <SafeText text={text} multiline />
        </pre>
      )}
      {ran.variables !== undefined && (
        <>
          <p className="muted rerun-caption">The variables it was given:</p>
          <VariableLines variables={ran.variables} testId="rerun-variables" />
        </>
      )}
    </ConfirmDialog>
  )
}
