package main

import (
	"context"
	"os"
	"testing"
)

// Every combination of cartridges (and the answers that import less)
// renders a go.mod and go.sum that go mod tidy leaves as they are. It needs
// the module proxy or a warm module cache, so it does not run with -short.
func TestEveryCombinationIsTidy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy for every cartridge combination; run without -short")
	}
	r := &refresher{root: "../..", log: os.Stderr}
	combos, err := r.Combinations()
	if err != nil {
		t.Fatal(err)
	}
	// The chassis alone and with every cartridge, each with three answer sets.
	if len(combos) < 6 {
		t.Fatalf("only %d combinations: %v", len(combos), combos)
	}
	if err := r.Prove(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestCombinationsCloseOverRequires(t *testing.T) {
	r := &refresher{root: "../..", log: os.Stderr}
	_, carts, _, err := r.sets()
	if err != nil {
		t.Fatal(err)
	}
	combos, err := r.Combinations()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range combos {
		have := map[string]bool{}
		for _, n := range c.Cartridges {
			for _, req := range carts[n].Manifest.Requires {
				if !have[req] {
					t.Errorf("%s: %s comes before %s, which it requires, or without it", c, n, req)
				}
			}
			have[n] = true
		}
	}
}
