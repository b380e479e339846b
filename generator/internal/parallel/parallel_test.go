package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestEachVisitsEveryIndexOnce(t *testing.T) {
	seen := make([]int32, 100)
	var running, peak atomic.Int32
	Each(context.Background(), len(seen), 3, func(i int) {
		if r := running.Add(1); r > peak.Load() {
			peak.Store(r)
		}
		atomic.AddInt32(&seen[i], 1)
		running.Add(-1)
	})
	for i, n := range seen {
		if n != 1 {
			t.Errorf("index %d visited %d times", i, n)
		}
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("%d calls ran at once, want at most 3", p)
	}
}

func TestEachStopsHandingOutWorkWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	Each(ctx, 1000, 1, func(i int) {
		if calls.Add(1) == 5 {
			cancel()
		}
	})
	if n := calls.Load(); n >= 1000 || n < 5 {
		t.Errorf("%d calls after cancelling at the fifth, want a few more than 5 at most", n)
	}
}

func TestEachWithNothingToDo(t *testing.T) {
	Each(context.Background(), 0, 4, func(int) { t.Error("called with n = 0") })
}
