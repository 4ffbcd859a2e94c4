// Readable form errors (#13.6): JSON Schema's wording from the server becomes a sentence about the field.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../renderer/src/api/transport'
import { formError } from '../../renderer/src/features/shell/form-errors'

const invalid = (message: string, field?: string) => new ApiError({ kind: 'invalid', code: 'invalid_request', message, field })

describe('formError', () => {
  it('says what is wrong with the field in words', () => {
    expect(formError(invalid('body field "newPassword" must NOT have fewer than 8 characters', 'newPassword'), { newPassword: 'The new password' })).toEqual({
      text: 'The new password must be at least 8 characters.',
      field: 'newPassword',
    })
    expect(formError(invalid('body field "role" must be equal to one of the allowed values', 'role')).text).toBe('Role is not one of the choices.')
    expect(formError(invalid('body field "timeoutSeconds" must be integer', 'timeoutSeconds')).text).toBe('Timeout seconds must be a whole number.')
    expect(formError(invalid('body field "username" must have required property \'username\'', 'username'), { username: 'The user name' }).text).toBe('The user name is required.')
    expect(formError(invalid('querystring field "limit" must be <= 500', 'limit')).text).toBe('Limit must be at most 500.')
  })

  it('passes our own sentences and other errors through', () => {
    expect(formError(invalid('the current password is not right', 'oldPassword'))).toEqual({ text: 'the current password is not right', field: 'oldPassword' })
    expect(formError(new Error('JobDesk is not reachable'))).toEqual({ text: 'JobDesk is not reachable' })
  })
})
