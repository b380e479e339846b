//go:build unix

package root

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestStopSignalsCancel sends each stop signal to this process: each must
// cancel the command's context, as Ctrl-C does; an unhandled SIGHUP would
// kill the test binary instead.
func TestStopSignalsCancel(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			ctx, stop := notifyContext(context.Background())
			defer stop()
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				t.Fatalf("%v did not cancel the command", sig)
			}
			if !errors.Is(ctx.Err(), context.Canceled) {
				t.Fatalf("ctx.Err() = %v", ctx.Err())
			}
		})
	}
}
