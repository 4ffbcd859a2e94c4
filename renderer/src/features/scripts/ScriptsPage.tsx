import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react'
import { onEvent } from '../../api/client'
import { useLayout } from '../../stores/layout'
import { useScripts } from '../../stores/scripts'
import { DirtyMark } from '../shell/DirtyMark'
import { FoldHandle } from '../shell/FoldHandle'
import { useSaveShortcut } from '../shell/save-shortcut'
import { Splitter, useSplitShare } from '../shell/Splitter'
import { JobCodePane } from './JobCodePane'
import { RunPanel } from './RunPanel'
import { RunHistory } from './RunHistory'
import { SavedScripts } from './SavedScripts'
import { ScratchTables } from './ScratchTables'
import { ScriptEditor } from './ScriptEditor'
import { ScriptToolbar } from './ScriptToolbar'
import { LANGUAGE_LABELS } from './languages'
import { saveFromShortcut, useEditorScript } from './unsaved-script'
import { VariablesEditor } from './VariablesEditor'
import './scripts.css'

/**
 * The editor's tab, as in Scriptis and VS Code: the open saved script's path (or "New SQL script" for
 * a draft of none), marked as Workflows marks its unsaved edits ("edited", "not saved").
 */
function ScriptTab() {
  const { path, language, dirty } = useEditorScript()
  const name = path ?? `New ${LANGUAGE_LABELS[language]} script`
  return (
    <div className="sc-editor-head" data-testid="script-tab">
      <span className="sc-script-name" title={path ? `Saved script ${path}` : 'A draft in no saved script, kept over reloads: name it under Saved scripts to save it'}>
        {name}
      </span>
      {dirty && <DirtyMark saved={path !== null} title={path ? `Ctrl+S saves the edits to ${path}` : 'Ctrl+S asks for a path to save it at'} />}
    </div>
  )
}

/** Scriptis-like: language, editor and Run above the run's status, log and result sets; variables and this session's runs on the right. */
export function ScriptsPage({ onOpenJob }: { onOpenJob: (jobId: number) => void }) {
  const language = useScripts((s) => s.language)
  const code = useScripts((s) => s.drafts[s.language])
  const setDraft = useScripts((s) => s.setDraft)
  const setSelection = useScripts((s) => s.setSelection)
  const jump = useScripts((s) => s.jump)
  const jobCode = useScripts((s) => s.jobCode)
  const run = useScripts((s) => s.run)
  const apply = useScripts((s) => s.apply)
  const resync = useScripts((s) => s.resync)
  useEffect(() => onEvent(apply), [apply])
  const split = useRef<HTMLDivElement>(null)
  const editorShare = useSplitShare('scripts.editor', split)
  const sideFolded = useLayout((s) => s.scriptsSideCollapsed)
  const toggleScriptsSide = useLayout((s) => s.toggleScriptsSide)
  useEffect(() => {
    void resync() // the shown job may have moved on while the page was away
  }, [resync])
  useSaveShortcut(() => saveFromShortcut(() => sideFolded && toggleScriptsSide()))

  // Ctrl/Cmd+Enter from the variables or timeout fields too (the editor handles its own).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.defaultPrevented) {
      e.preventDefault()
      void run()
    }
  }

  return (
    <div className={`sc-page${sideFolded ? ' side-folded' : ''}`} onKeyDown={onKeyDown}>
      <section className="sc-work" aria-label="script">
        <ScriptToolbar />
        <div className="sc-split" ref={split} style={{ '--sc-editor': `${editorShare}%` } as CSSProperties}>
          <div className="sc-editor-pane" id="sc-editor-pane">
            {/* a shown job's code takes the editor's place; the editor stays (hidden) with its undo history */}
            {jobCode && <JobCodePane view={jobCode} />}
            <div className="sc-editor-own" hidden={jobCode !== null}>
              <ScriptTab />
              <ScriptEditor language={language} value={code} onChange={setDraft} onSelect={setSelection} onRun={() => void run()} jump={jump} />
            </div>
          </div>
          <Splitter name="scripts.editor" size={editorShare} label="resize editor and results" controls="sc-editor-pane" container={() => split.current} />
          <RunPanel onOpenJob={onOpenJob} />
        </div>
      </section>
      <FoldHandle folded={sideFolded} side="right" what="side panel" onToggle={toggleScriptsSide} />
      {!sideFolded && (
        <aside className="sc-side" aria-label="scripts, tables, variables and history">
          <SavedScripts />
          <ScratchTables />
          <VariablesEditor />
          <RunHistory />
        </aside>
      )}
    </div>
  )
}
