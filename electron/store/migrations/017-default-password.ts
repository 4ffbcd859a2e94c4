// users.must_change_password tells a password an admin set (1, held until changed: #9) from the
// built-in default of the first admin (2, which may be put off, as the UI's "Not now" does). Before
// this both were 1: the default admin of an existing data folder is the first user, named admin,
// still flagged. (Had an admin reset that account's password, it is taken as the default too: it
// then works only from loopback and the UI still asks for a new one.)
export default `
UPDATE users SET must_change_password = 2
WHERE must_change_password = 1 AND is_admin = 1 AND username = 'admin' AND id = (SELECT min(id) FROM users);
`
