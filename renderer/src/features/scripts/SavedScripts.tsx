import { useEffect, useMemo, useState } from 'react'
import { useSavedScripts } from '../../stores/saved-scripts'
import { useScripts } from '../../stores/scripts'
import { ConfirmDialog } from '../jobs/ConfirmDialog'
import { DirtyMark } from '../shell/DirtyMark'
import { SCRIPT_PATH_FIELD, mayOpenScript, useEditorScript } from './unsaved-script'
import { LANGUAGE_LABELS } from './languages'
import { buildTree, freshFolderName, scriptCount, type TreeNode } from './script-tree'

/** A name being edited in place: Enter renames (moves), Esc gives up. */
function RenameField({ node, onDone }: { node: TreeNode; onDone: () => void }) {
  const move = useSavedScripts((s) => s.move)
  const [to, setTo] = useState(node.path)
  return (
    <form
      className="sc-tree-rename"
      onSubmit={(e) => {
        e.preventDefault()
        void (to.trim() === node.path ? Promise.resolve(true) : move(node.path, to.trim())).then((ok) => ok && onDone())
      }}
    >
      <input aria-label={`new path of ${node.path}`} value={to} autoFocus onChange={(e) => setTo(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onDone()} spellCheck={false} />
    </form>
  )
}

/**
 * A new folder's name, asked in place at the top of the tree as file trees do (VS Code, Scriptis):
 * the offered name is selected, Enter makes the folder (a path such as `a/b` makes it inside `a`),
 * Esc gives up.
 */
function NewFolderField({ offered, onDone }: { offered: string; onDone: () => void }) {
  const createFolder = useSavedScripts((s) => s.createFolder)
  const [name, setName] = useState(offered)
  return (
    <li role="treeitem" aria-label="new folder" aria-selected={false}>
      <form
        className="sc-tree-row sc-tree-new"
        aria-label="new folder"
        onSubmit={(e) => {
          e.preventDefault()
          const path = name.trim()
          if (path) void createFolder(path).then((ok) => ok && onDone())
        }}
      >
        <span aria-hidden="true" className="sc-tree-icon">
          ▸
        </span>
        <input
          aria-label="new folder name"
          value={name}
          autoFocus
          onFocus={(e) => e.target.select()}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              onDone()
            }
          }}
          spellCheck={false}
        />
      </form>
    </li>
  )
}

/** A script or folder of the tree; `edited` is the path of the open script when the editor holds edits to it. */
function TreeItem({ node, depth, edited, onDelete }: { node: TreeNode; depth: number; edited: string | null; onDelete: (n: TreeNode) => void }) {
  const open = useSavedScripts((s) => s.open)
  const openPath = useSavedScripts((s) => s.openPath)
  const [expanded, setExpanded] = useState(true)
  const [renaming, setRenaming] = useState(false)
  const isFolder = node.kind === 'folder'
  return (
    <li role="treeitem" aria-expanded={isFolder ? expanded : undefined} aria-selected={node.path === openPath} aria-label={node.path} data-testid={`saved-${node.path}`}>
      <div className={`sc-tree-row${node.path === openPath ? ' active' : ''}`} style={{ paddingLeft: depth * 14 }}>
        {renaming ? (
          <RenameField node={node} onDone={() => setRenaming(false)} />
        ) : (
          <button
            className="sc-tree-open"
            title={isFolder ? `${expanded ? 'Fold' : 'Unfold'} ${node.path}` : `Open ${node.path} in the editor`}
            onClick={() => (isFolder ? setExpanded(!expanded) : void mayOpenScript(node.entry?.language ?? undefined).then((ok) => (ok ? open(node.path) : undefined)))}
          >
            <span aria-hidden="true" className="sc-tree-icon">{isFolder ? (expanded ? '▾' : '▸') : '·'}</span>
            <span className="sc-tree-name">{node.name}</span>
            {node.entry?.language && <span className={`sc-lang sc-lang-${node.entry.language}`}>{LANGUAGE_LABELS[node.entry.language]}</span>}
            {node.path === edited && <DirtyMark saved title="Edited in the editor, not saved: Ctrl+S saves" />}
          </button>
        )}
        {!renaming && (
          <>
            <button className="icon" aria-label={`rename ${node.path}`} title="Rename or move" onClick={() => setRenaming(true)}>
              ✎
            </button>
            <button className="icon" aria-label={`delete ${node.path}`} title="Delete" onClick={() => onDelete(node)}>
              ×
            </button>
          </>
        )}
      </div>
      {isFolder && expanded && node.children.length > 0 && (
        <ul role="group">
          {node.children.map((c) => (
            <TreeItem key={`${c.kind}:${c.path}`} node={c} depth={depth + 1} edited={edited} onDelete={onDelete} />
          ))}
        </ul>
      )}
    </li>
  )
}

/** Scriptis's workspace: the user's saved scripts in folders, kept on the server; open, save, rename, delete. */
export function SavedScripts() {
  const entries = useSavedScripts((s) => s.entries)
  const error = useSavedScripts((s) => s.error)
  const note = useSavedScripts((s) => s.note)
  const { refresh, saveAs, remove } = useSavedScripts.getState()
  const language = useScripts((s) => s.language)
  const editor = useEditorScript()
  // the field names the script the editor shows: empty for another language's draft, so its Save never writes that draft over the open script of another language
  const [path, setPath] = useState(editor.path ?? '')
  const [deleting, setDeleting] = useState<TreeNode | null>(null)
  const [makingFolder, setMakingFolder] = useState(false)
  const tree = useMemo(() => buildTree(entries), [entries])
  useEffect(() => void refresh(), [refresh])
  useEffect(() => setPath(editor.path ?? ''), [editor.path])
  const target = path.trim()
  const overwrite = target !== '' && target === editor.path
  const count = deleting ? scriptCount(deleting) : 0
  return (
    <section className="sc-side-section" aria-label="saved scripts">
      <h3>
        Saved scripts{' '}
        <button className="link" aria-label="New folder" title="Make a folder in the tree (you name it there)" onClick={() => setMakingFolder(true)}>
          + Folder
        </button>
      </h3>
      <form
        className="sc-save-form"
        aria-label="save script"
        onSubmit={(e) => {
          e.preventDefault()
          if (target) void saveAs(target, overwrite)
        }}
      >
        <input id={SCRIPT_PATH_FIELD} aria-label="script path" placeholder="folder/name" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={!target} title={overwrite ? `Save the ${LANGUAGE_LABELS[language]} editor over ${target} (Ctrl+S)` : `Save the ${LANGUAGE_LABELS[language]} editor as a new script`} aria-keyshortcuts={overwrite ? 'Control+S Meta+S' : undefined}>
          {overwrite ? 'Save' : 'Save as'}
        </button>
      </form>
      {error && (
        <p className="error-text sc-side-note" role="alert">
          {error}
        </p>
      )}
      {note && !error && (
        <p className="muted sc-side-note" role="status" data-testid="saved-note">
          {note}
        </p>
      )}
      {tree.length === 0 && !makingFolder ? (
        <p className="muted sc-side-note">None yet: name the script above (e.g. reports/daily) and save it.</p>
      ) : (
        <ul className="sc-tree" role="tree" aria-label="saved scripts">
          {makingFolder && <NewFolderField offered={freshFolderName(tree)} onDone={() => setMakingFolder(false)} />}
          {tree.map((n) => (
            <TreeItem key={`${n.kind}:${n.path}`} node={n} depth={0} edited={editor.dirty ? editor.path : null} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={deleting.kind === 'folder' ? `Delete the folder ${deleting.path}?` : `Delete ${deleting.path}?`}
          confirm="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            void remove(deleting.path)
            setDeleting(null)
          }}
        >
          <p>{deleting.kind === 'folder' ? `It holds ${count} script${count === 1 ? '' : 's'}; they are deleted with it.` : 'The script is deleted from the server.'} This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
