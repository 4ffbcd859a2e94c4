// Readable form errors (#13.6): the server names the field first and says what it allows
// (electron/http/native/errors.ts); a form puts its own label for the field in the API name's place.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../renderer/src/api/transport'
import { errorText, formError } from '../../renderer/src/features/shell/form-errors'

const invalid = (message: string, field?: string) => new ApiError({ kind: 'invalid', code: 'invalid_request', message, field })

describe('formError', () => {
  it('says the field as the form labels it', () => {
    expect(formError(invalid('newPassword must be 8 to 200 characters', 'newPassword'), { newPassword: 'The new password' })).toEqual({
      text: 'The new password must be 8 to 200 characters.',
      field: 'newPassword',
    })
    expect(errorText(invalid('timeoutSeconds must be a number greater than 0', 'timeoutSeconds'), { timeoutSeconds: 'The timeout (seconds)' })).toBe(
      'The timeout (seconds) must be a number greater than 0.',
    )
    // a service's own check words its refusal the same way
    expect(errorText(invalid("to must be names joined by '/', none of them empty", 'to'), { to: 'The new path' })).toBe("The new path must be names joined by '/', none of them empty.")
    expect(errorText(invalid('to has a name longer than 100 characters', 'to'), { to: 'The new path' })).toBe('The new path has a name longer than 100 characters.')
    expect(errorText(invalid('path has a name longer than 100 characters', 'path'), { path: 'The script path' })).toBe('The script path has a name longer than 100 characters.')
  })

  it('spells out a field the form has no label for', () => {
    expect(errorText(invalid('role must be one of "admin", "user"', 'role'))).toBe('Role must be one of "admin", "user".')
    expect(errorText(invalid('timeoutSeconds must be a number greater than 0', 'timeoutSeconds'))).toBe('Timeout seconds must be a number greater than 0.')
  })

  it('shows other messages and errors as sentences, as the UI’s own read (newuser3: a lower-case server message beside capitalised ones)', () => {
    expect(formError(invalid('the current password is not right', 'oldPassword'))).toEqual({ text: 'The current password is not right.', field: 'oldPassword' })
    expect(errorText(invalid('the new password must differ from the current one', 'newPassword'), { newPassword: 'The new password' })).toBe('The new password must differ from the current one.')
    // a field named inside the sentence, not first, is left as a word: "to" here is one
    expect(errorText(invalid('a folder cannot move into itself (a → a/b)', 'to'), { to: 'The new path' })).toBe('A folder cannot move into itself (a → a/b).')
    expect(errorText(invalid('body must be an object'))).toBe('Body must be an object.')
    expect(formError(new Error('JobDesk is not reachable; reconnecting…'))).toEqual({ text: 'JobDesk is not reachable; reconnecting…' })
    expect(errorText(invalid('Already a sentence!'))).toBe('Already a sentence!')
    // a name first stays as written
    expect(errorText(invalid('shared/daily was renamed elsewhere'))).toBe('shared/daily was renamed elsewhere.')
  })
})
