package generator

import (
	"context"
	"fmt"

	"github.com/agencystandard/kit/generator/txn"
)

// ApplyPlan applies changes and the new state file in one transaction,
// checking ctx between files. On error the transaction is rolled back; on
// success it is returned uncommitted, so the caller may still roll back.
func ApplyPlan(ctx context.Context, root string, changes []Change, state []byte) (*txn.Transaction, error) {
	tx, err := txn.Begin(root)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*txn.Transaction, error) {
		tx.Rollback()
		return nil, err
	}
	for _, c := range changes {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		for _, r := range c.Remove {
			if err := tx.Remove(r); err != nil {
				return fail(fmt.Errorf("remove %s: %w", r, err))
			}
		}
		if c.Write {
			if err := tx.Write(c.Path, c.Data); err != nil {
				return fail(fmt.Errorf("write %s: %w", c.Path, err))
			}
		}
		if c.Extra != nil {
			if err := tx.Write(c.Extra.Path, c.Extra.Data); err != nil {
				return fail(fmt.Errorf("write %s: %w", c.Extra.Path, err))
			}
		}
	}
	if err := tx.Write(StateFile, state); err != nil {
		return fail(fmt.Errorf("write %s: %w", StateFile, err))
	}
	if err := tx.Apply(ctx); err != nil {
		return nil, err
	}
	return tx, nil
}
