// Runs before every test file (vitest.config.ts, vitest.probe.config.ts setupFiles).
import { useTestScryptCost } from '../../electron/services/passwords'

// Each app a test starts hashes the default admin's password and each sign-in verifies one: at the
// shipped cost (about 50 ms of CPU each) that adds up over the suite. Tests that time sign-ins set
// the strong cost back (test/http/login-throttle.test.ts).
useTestScryptCost()
