import { useCallback, useEffect, useRef, useState } from 'react'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from '../../stores/list-load'
import { errorText as inWords } from './form-errors'

/** What the last action (or a failed load) came to, in words: a status when it went well, an alert otherwise. */
export interface ActionMessage {
  ok: boolean
  text: string
}

export interface LoadAndAct<T> {
  /** What `load` gave last; null until the first load answers (and when it fails). */
  data: T | null
  /** Whether `load` has answered; the first load's failure (ListStatus says it, with Retry; later ones go to `message`). */
  list: ListLoad
  message: ActionMessage | null
  /** Loads again; a failure becomes the message. */
  reload(): Promise<void>
  /**
   * Runs `work`; then says `done` and loads again, or says what went wrong (`errorText`). Resolves
   * with whether the work went through, so a form can clear itself.
   */
  act(work: () => Promise<unknown>, done: string): Promise<boolean>
}

/**
 * The load-and-act pattern of admin panels (Graph → Graphs, Settings → Users): a list loaded when
 * the panel mounts, and actions on it that report in one message line and reload the list.
 * `errorText` words an action's failure (default: formError's words, fields by their API names),
 * e.g. with the form's labels for its fields.
 */
export function useLoadAndAct<T>(load: () => Promise<T>, errorText: (e: unknown) => string = (e) => inWords(e)): LoadAndAct<T> {
  const [data, setData] = useState<T | null>(null)
  const [list, setList] = useState<ListLoad>(NOT_ANSWERED)
  const [message, setMessage] = useState<ActionMessage | null>(null)
  const latest = useRef({ load, errorText, list })
  latest.current = { load, errorText, list }
  const reload = useCallback(
    () =>
      latest.current.load().then(
        (d) => {
          setData(d)
          setList(ANSWERED)
        },
        (e: Error) => {
          const failed = listFailed(latest.current.list, e.message)
          if ('list' in failed) setList(failed.list)
          else setMessage({ ok: false, text: failed.error })
        },
      ),
    [],
  )
  useEffect(() => {
    void reload()
  }, [reload])
  const act = useCallback(
    async (work: () => Promise<unknown>, done: string) => {
      try {
        await work()
        setMessage({ ok: true, text: done })
        await reload()
        return true
      } catch (e) {
        setMessage({ ok: false, text: latest.current.errorText(e) })
        return false
      }
    },
    [reload],
  )
  return { data, list, message, reload, act }
}

/** The message line of useLoadAndAct (or any action): announced politely when it went well, as an alert otherwise. */
export function ActionMessageLine({ message }: { message: ActionMessage | null }) {
  if (!message) return null
  return (
    <p className={message.ok ? 'ok-text' : 'error-text'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  )
}
