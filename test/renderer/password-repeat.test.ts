import { describe, expect, it } from 'vitest'
import { repeatProblem } from '../../renderer/src/features/settings/password-repeat'

describe('repeatProblem', () => {
  it('asks for an empty repeat in its field, says a different one differs, and passes the same one', () => {
    expect(repeatProblem('a-long-password', '', 'Confirm password')).toBe('Type the password again in Confirm password.')
    expect(repeatProblem('a-long-password', 'a-long-passwore', 'Confirm password')).toBe('The two passwords differ: type the same one twice.')
    expect(repeatProblem('a-long-password', 'a-long-password', 'Confirm password')).toBeNull()
  })
})
