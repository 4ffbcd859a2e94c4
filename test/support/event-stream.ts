// The native event stream (/api/v1/events) read as text, for tests that check what it carries.

/** An open event stream: its HTTP status, the text read so far, and stop() (aborts, then waits for the reader). */
export interface OpenEventStream {
  status: number
  text: () => string
  stop: () => Promise<void>
}

/** Opens `url`'s event stream with `token` and keeps reading it until stop(). */
export async function openEventStream(url: string, token: string): Promise<OpenEventStream> {
  const controller = new AbortController()
  const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        text += value
      }
    } catch {
      // aborted
    }
  })()
  return {
    status: res.status,
    text: () => text,
    async stop() {
      controller.abort()
      await pump
    },
  }
}
