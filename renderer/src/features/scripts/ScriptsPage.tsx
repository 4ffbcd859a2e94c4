import { useEffect, type KeyboardEvent } from 'react'
import { onEvent } from '../../api/client'
import { useScripts } from '../../stores/scripts'
import { RunPanel } from './RunPanel'
import { RunHistory } from './RunHistory'
import { ScriptEditor } from './ScriptEditor'
import { ScriptToolbar } from './ScriptToolbar'
import { VariablesEditor } from './VariablesEditor'
import './scripts.css'

/** Scriptis-like: language, editor and Run above the run's status, log and result sets; variables and this session's runs on the right. */
export function ScriptsPage({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const language = useScripts((s) => s.language)
  const code = useScripts((s) => s.drafts[s.language])
  const setDraft = useScripts((s) => s.setDraft)
  const setSelection = useScripts((s) => s.setSelection)
  const jump = useScripts((s) => s.jump)
  const run = useScripts((s) => s.run)
  const apply = useScripts((s) => s.apply)
  const resync = useScripts((s) => s.resync)
  useEffect(() => onEvent(apply), [apply])
  useEffect(() => {
    void resync() // the shown job may have moved on while the page was away
  }, [resync])

  // Ctrl/Cmd+Enter from the variables or timeout fields too (the editor handles its own).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.defaultPrevented) {
      e.preventDefault()
      void run()
    }
  }

  return (
    <div className="sc-page" onKeyDown={onKeyDown}>
      <section className="sc-work" aria-label="script">
        <ScriptToolbar />
        <div className="sc-editor-pane">
          <ScriptEditor language={language} value={code} onChange={setDraft} onSelect={setSelection} onRun={() => void run()} jump={jump} />
        </div>
        <RunPanel onOpenJob={onOpenJob} />
      </section>
      <aside className="sc-side" aria-label="variables and history">
        <VariablesEditor />
        <RunHistory />
      </aside>
    </div>
  )
}
