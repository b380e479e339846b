package main

import "testing"

func TestLoadedLooksAtTheStartOnly(t *testing.T) {
	for _, c := range []struct {
		start, end string
		want       bool
	}{
		{"0.00 1.32 3.91", "2.19 2.36 3.83", false}, // the benchmark's own load at the end
		{"1.20 0.90 0.50", "0.10 0.10 0.10", true},
		{"0.99 0.90 0.50", "9.00 9.00 9.00", false},
		{"", "", false},
	} {
		if got := loaded(machine{cpus: 2, loadStart: c.start, loadEnd: c.end}); got != c.want {
			t.Errorf("loaded(start %q, end %q) = %v, want %v", c.start, c.end, got, c.want)
		}
	}
}
