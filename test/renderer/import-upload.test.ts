// The Imports page's upload (#11.5): a file goes up in 4 MiB chunks over the HTTP transport as raw
// bodies, progress after each, and lands byte for byte; uploading it again replaces it.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHUNK_BYTES, uploadFile } from '../../renderer/src/features/imports/upload'
import type { TestApp } from '../support/app'
import { rendererAppSuite } from '../support/renderer-app'

const suite = rendererAppSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

describe('upload from the page', () => {
  it('sends a file in order, chunk by chunk, reporting the bytes sent', async () => {
    const bytes = randomBytes(2 * CHUNK_BYTES + 12345)
    const sent: number[] = []
    await uploadFile(new File([bytes], 'big.bin'), 'in/big.bin', (n) => sent.push(n))
    expect(sent).toEqual([CHUNK_BYTES, 2 * CHUNK_BYTES, bytes.length])
    expect(readFileSync(join(t.dir, 'upload_files', 'admin', 'in', 'big.bin')).equals(bytes)).toBe(true)

    await uploadFile(new File(['short'], 'big.bin'), 'in/big.bin', () => undefined) // again, shorter: nothing of the old file stays
    expect(readFileSync(join(t.dir, 'upload_files', 'admin', 'in', 'big.bin'), 'utf8')).toBe('short')
    const empty: number[] = []
    await uploadFile(new File([], 'empty.csv'), 'empty.csv', (n) => empty.push(n))
    expect(empty).toEqual([0])
    expect(readFileSync(join(t.dir, 'upload_files', 'admin', 'empty.csv'))).toHaveLength(0)
  })
})
