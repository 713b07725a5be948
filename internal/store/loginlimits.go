package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The login limiter's counts, shared by every server on the database (see service/loginLimiter).

// NthAddressFailure returns the time of an address's n-th most recent failure after since, and false when it
// has fewer failures than that.
func (tx *Tx) NthAddressFailure(ctx context.Context, address string, since time.Time, n int) (time.Time, bool, error) {
	var at string
	err := tx.tx.QueryRowContext(ctx, `SELECT at FROM login_address_failures WHERE address = $1 AND at > $2
		ORDER BY at DESC LIMIT 1 OFFSET $3`, address, ts(since), n-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read failures of %s: %w", address, err)
	}
	t, err := parseTS(at)
	return t, err == nil, err
}

// AccountFailures returns an account's run of failures in a row and the time of the last (0 when none).
func (tx *Tx) AccountFailures(ctx context.Context, account string) (int, time.Time, error) {
	var n int
	var last string
	err := tx.tx.QueryRowContext(ctx, "SELECT failures, last_at FROM login_account_failures WHERE account = $1", account).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read failures of %s: %w", account, err)
	}
	t, err := parseTS(last)
	return n, t, err
}

// AddLoginFailure counts a failure at at against account and address (either may be empty). Counts last seen at
// or before forget (of any account or address) are dropped first, so the tables never outgrow one window.
func (tx *Tx) AddLoginFailure(ctx context.Context, account, address string, at, forget time.Time) error {
	exec := func(q string, args ...any) error {
		if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("count login failure: %w", err)
		}
		return nil
	}
	if err := exec("DELETE FROM login_address_failures WHERE at <= $1", ts(forget)); err != nil {
		return err
	}
	if err := exec("DELETE FROM login_account_failures WHERE last_at <= $1", ts(forget)); err != nil {
		return err
	}
	if address != "" {
		if err := exec("INSERT INTO login_address_failures (address, at) VALUES ($1, $2)", address, ts(at)); err != nil {
			return err
		}
	}
	if account == "" {
		return nil
	}
	return exec(`INSERT INTO login_account_failures (account, failures, last_at) VALUES ($1, 1, $2)
		ON CONFLICT (account) DO UPDATE SET failures = login_account_failures.failures + 1, last_at = excluded.last_at`, account, ts(at))
}

// ClearAccountFailures ends an account's run of failures.
func (tx *Tx) ClearAccountFailures(ctx context.Context, account string) error {
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM login_account_failures WHERE account = $1", account); err != nil {
		return fmt.Errorf("clear failures of %s: %w", account, err)
	}
	return nil
}
