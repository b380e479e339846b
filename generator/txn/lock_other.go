//go:build !unix

package txn

import "os"

// lockFile is a no-op where advisory locks are not available: Recover then
// cannot tell a running transaction from an abandoned one.
func lockFile(f *os.File, wait bool) error { return nil }
