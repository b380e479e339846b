// Package parallel runs the same step over the indexes of a slice on a
// bounded number of goroutines, for the engine's rendering, writing and
// syncing.
package parallel

import (
	"context"
	"sync"
)

// Each calls fn(i) for every i in [0, n) on at most workers goroutines and
// returns once all calls have returned. When ctx is cancelled no further
// index is handed out; the caller checks ctx.Err() afterwards. fn writes its
// results by index, so they keep their order whatever the scheduling.
func Each(ctx context.Context, n, workers int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}
