package project

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/agencystandard/kit/generator/txn"
	"github.com/agencystandard/kit/internal/iostreams"
)

// RecoverUnfinished rolls back what an earlier kit run left half-done in
// dir — it was killed, or the machine lost power, while it changed the
// repository — and says so on stderr. Every command that reads or writes a
// repository calls it first.
func RecoverUnfinished(ios *iostreams.IOStreams, dir string) error {
	root, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	recs, err := txn.Recover(root)
	for _, r := range recs {
		if !r.Journaled {
			ios.Notice("kit: removed %s, left in %s by a kit run that stopped before it changed anything", r.Scratch, dir)
			continue
		}
		ios.Notice("kit: a kit run stopped half-way through changing %s; rolled it back from its journal (%s): %s",
			dir, r.Scratch, recoveredSummary(r))
	}
	if errors.Is(err, txn.ErrBusy) {
		return fmt.Errorf("%w: wait for it to finish, or stop it", err)
	}
	return err
}

func recoveredSummary(r txn.Recovery) string {
	var parts []string
	if len(r.Restored) > 0 {
		parts = append(parts, fmt.Sprintf("restored %d file(s): %s", len(r.Restored), strings.Join(r.Restored, ", ")))
	}
	if len(r.Removed) > 0 {
		parts = append(parts, fmt.Sprintf("removed %d file(s) it had written: %s", len(r.Removed), strings.Join(r.Removed, ", ")))
	}
	if len(parts) == 0 {
		return "it had not changed any file yet"
	}
	return strings.Join(parts, "; ")
}
