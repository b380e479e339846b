//go:build unix

package txn

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f, which the system releases
// when the process ends however it ends. Without wait it fails at once if
// another process holds the lock.
func lockFile(f *os.File, wait bool) error {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	return syscall.Flock(int(f.Fd()), how)
}
