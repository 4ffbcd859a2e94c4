import { useCallback, useEffect, useRef, useState } from 'react'
import { ANSWERED, listFailed, NOT_ANSWERED, type ListLoad } from '../../stores/list-load'
import { errorText as inWords, formError } from './form-errors'

/** What the last action (or a failed load) came to, in words: a status when it went well, an alert otherwise. */
export interface ActionMessage {
  ok: boolean
  text: string
  /** The request field a refusal names (the server's `field`, formError), so a form can mark it. */
  field?: string
}

/** Actions that report in one message line (useAct). */
export interface Act {
  message: ActionMessage | null
  /** Says `message` (null: nothing), e.g. why a load failed. */
  say(message: ActionMessage | null): void
  /**
   * Runs `work`; then says `done` (or what `done` makes of work's answer) and waits for `after` (a reload),
   * or says what went wrong (`errorText`, with the field the refusal names). Resolves with whether the
   * work went through, so a form can clear itself.
   */
  act<R>(work: () => Promise<R>, done: string | ((answer: R) => string)): Promise<boolean>
}

export interface LoadAndAct<T> extends Act {
  /** What `load` gave last; null until the first load answers (and when it fails). */
  data: T | null
  /** Whether `load` has answered; the first load's failure (ListStatus says it, with Retry; later ones go to `message`). */
  list: ListLoad
  /** Loads again; a failure becomes the message. */
  reload(): Promise<void>
}

/**
 * The action half of useLoadAndAct, for a panel whose list another component loads (Settings →
 * Linkis proxy users, beside the tokens): actions reporting in its own message line, then `after`.
 * `errorText` words a failure (default: formError's words, fields by their API names).
 */
export function useAct(errorText: (e: unknown) => string = (e) => inWords(e), after?: () => Promise<void>): Act {
  const [message, setMessage] = useState<ActionMessage | null>(null)
  const latest = useRef({ errorText, after })
  latest.current = { errorText, after }
  const act = useCallback(async <R,>(work: () => Promise<R>, done: string | ((answer: R) => string)) => {
    try {
      const answer = await work()
      setMessage({ ok: true, text: typeof done === 'string' ? done : done(answer) })
      await latest.current.after?.()
      return true
    } catch (e) {
      setMessage({ ok: false, text: latest.current.errorText(e), field: formError(e).field })
      return false
    }
  }, [])
  return { message, say: setMessage, act }
}

/**
 * The load-and-act pattern of admin panels (Graph → Graphs, Settings → Users, Linkis tokens): a list
 * loaded when the panel mounts, and actions on it (useAct) that report in one message line and reload
 * the list. `errorText` words an action's failure (default: formError's words, fields by their API
 * names), e.g. with the form's labels for its fields.
 */
export function useLoadAndAct<T>(load: () => Promise<T>, errorText: (e: unknown) => string = (e) => inWords(e)): LoadAndAct<T> {
  const [data, setData] = useState<T | null>(null)
  const [list, setList] = useState<ListLoad>(NOT_ANSWERED)
  const latest = useRef({ load, list })
  latest.current = { load, list }
  const { message, say, act } = useAct(errorText, () => reload())
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
          else say({ ok: false, text: failed.error })
        },
      ),
    [say],
  )
  useEffect(() => {
    void reload()
  }, [reload])
  return { data, list, message, say, reload, act }
}

/**
 * The message line of useLoadAndAct (or any action): announced politely when it went well, as an alert
 * otherwise. `reveal` scrolls each new message into view: for a line under a long form, which would
 * otherwise say "User bob created" below the fold of the button just pressed.
 */
export function ActionMessageLine({ message, reveal = false }: { message: ActionMessage | null; reveal?: boolean }) {
  const line = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (reveal && message) line.current?.scrollIntoView({ block: 'nearest' })
  }, [reveal, message])
  if (!message) return null
  return (
    <p ref={line} className={message.ok ? 'ok-text' : 'error-text'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  )
}
