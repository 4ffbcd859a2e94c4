import { useEffect, useState } from 'react'
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS, MAX_SCRIPT_TIMEOUT_SECONDS } from '../../../../shared/api'
import { mayRunLanguage } from '../../../../shared/model'
import { send } from '../../api/client'
import { useScripts } from '../../stores/scripts'
import { useSession } from '../../stores/session'
import { jobCodeHint } from './JobCodePane'
import { LANGUAGE_HINTS, LANGUAGE_LABELS, LANGUAGE_ORDER } from './languages'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
export const RUN_SHORTCUT = isMac ? '⌘↵' : 'Ctrl+Enter'

function LanguagePicker() {
  // a shown job's code is in its own language; choosing one goes back to the editor
  const language = useScripts((s) => s.jobCode?.language ?? s.language)
  const setLanguage = useScripts((s) => s.setLanguage)
  const user = useSession((s) => s.user)
  return (
    <div className="sc-languages" role="group" aria-label="language">
      {LANGUAGE_ORDER.map((l) => {
        // shell and Python run as the desktop user: offered to those with the scripts right only
        const allowed = user ? mayRunLanguage(user, l) : true
        return (
          <button
            key={l}
            type="button"
            aria-pressed={l === language}
            data-language={l}
            disabled={!allowed}
            title={allowed ? undefined : `${LANGUAGE_LABELS[l]} runs as the desktop user: ask an admin for the "scripts" right`}
            onClick={() => setLanguage(l)}
          >
            {LANGUAGE_LABELS[l]}
          </button>
        )
      })}
    </div>
  )
}

/**
 * Says on the page, not only in a greyed-out button's tooltip, why Python and Shell cannot be chosen by a
 * user without the scripts right, and whom to ask (trial13: a new user saw them greyed out with no reason
 * unless they hovered). Nothing for a user who may run every language.
 */
function ScriptsRightNote() {
  const user = useSession((s) => s.user)
  const refused = user ? LANGUAGE_ORDER.filter((l) => !mayRunLanguage(user, l)) : []
  if (refused.length === 0) return null
  return (
    <p className="sc-hint muted" data-testid="scripts-right-note">
      {refused.map((l) => LANGUAGE_LABELS[l]).join(' and ')} run as the user this computer runs JobDesk as, so they need the “scripts” right: ask an admin to grant it
      (Settings → Users).
    </p>
  )
}

/** The graph a Cypher script runs on, from the graphs there are. */
function GraphPicker() {
  const graph = useScripts((s) => s.graph)
  const setGraph = useScripts((s) => s.setGraph)
  const [names, setNames] = useState<string[]>([])
  useEffect(() => {
    send('graphs.list', {}).then(
      (gs) => setNames(gs.map((g) => g.name)),
      () => setNames([]),
    )
  }, [])
  const options = names.includes(graph) ? names : [graph, ...names]
  return (
    <label className="sc-timeout sc-graph-picker">
      <span className="sc-wide-only">Graph</span>
      <select aria-label="graph to run on" value={graph} onChange={(e) => setGraph(e.target.value)}>
        {options.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  )
}

/** Language, timeout and Run; the hint says what the language runs against. */
export function ScriptToolbar() {
  const language = useScripts((s) => s.language)
  const timeout = useScripts((s) => s.timeout)
  const setTimeoutText = useScripts((s) => s.setTimeoutText)
  const submitting = useScripts((s) => s.submitting)
  const run = useScripts((s) => s.run)
  const error = useScripts((s) => s.error)
  const onlySelection = useScripts((s) => s.selection.trim() !== '')
  const jobCode = useScripts((s) => s.jobCode)
  const me = useSession((s) => s.user?.username)
  const hint = jobCode ? jobCodeHint(jobCode, me) : LANGUAGE_HINTS[language]
  return (
    <div className="sc-toolbar">
      <div className="sc-toolbar-row">
        <h1>Scripts</h1>
        <LanguagePicker />
        <span className="sc-spacer" />
        {language === 'cypher' && !jobCode && <GraphPicker />}
        <label className="sc-timeout">
          <span className="sc-timeout-word">Timeout</span>
          <input aria-label="timeout in seconds" inputMode="decimal" placeholder={String(DEFAULT_SCRIPT_TIMEOUT_SECONDS)} title={`Timeout in seconds. Empty: ${DEFAULT_SCRIPT_TIMEOUT_SECONDS} s (a day); at most ${MAX_SCRIPT_TIMEOUT_SECONDS} s (7 days)`} value={timeout} onChange={(e) => setTimeoutText(e.target.value)} size={6} />
          <span>s</span>
        </label>
        <button type="button" className="primary sc-run-button" aria-label={onlySelection ? 'Run selection' : 'Run script'} onClick={() => void run()} disabled={submitting || jobCode !== null} title={jobCode ? `Job #${jobCode.jobId}’s code is shown: “Back to my draft” to run yours` : `Run the ${onlySelection ? 'selected text' : 'script'} (${RUN_SHORTCUT})`}>
          {submitting ? 'Submitting…' : onlySelection ? '▶ Run selection' : '▶ Run'}
          <kbd className="sc-wide-only">{RUN_SHORTCUT}</kbd>
        </button>
      </div>
      <p className="sc-hint muted" data-testid="language-hint" title={hint}>
        {hint}
      </p>
      <ScriptsRightNote />
      {error && (
        <p className="sc-form-error" role="alert" data-testid="script-form-error">
          {error}
        </p>
      )}
    </div>
  )
}
