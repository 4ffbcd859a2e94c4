import { connect, type Socket } from 'node:net'

/** A connection of sendPart's: `answer(withinMs)` resolves with what came back once an answer's head has, or after `withinMs`. */
export interface PartSent {
  socket: Socket
  answer: (withinMs: number) => Promise<string>
}

/**
 * Opens a connection to the app at `url` that sends `head` and, 50 ms later, the first `sent`
 * characters of `body` (all of it, or short of its Content-Length to keep it unfinished).
 */
export function sendPart(url: string, head: string, body: string, sent: number): PartSent {
  let got = ''
  const socket = connect(Number(new URL(url).port), '127.0.0.1', () => {
    socket.write(head)
    setTimeout(() => socket.write(body.slice(0, sent)), 50)
  })
  socket.on('data', (d) => void (got += String(d)))
  socket.on('error', () => undefined)
  const answer = (withinMs: number) =>
    new Promise<string>((resolve) => {
      const stop = setInterval(() => {
        if (got.includes('\r\n\r\n') || (withinMs -= 50) <= 0) {
          clearInterval(stop)
          resolve(got)
        }
      }, 50)
    })
  return { socket, answer }
}
