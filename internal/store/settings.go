package store

import (
	"context"
	"database/sql"
	"errors"
)

// Setting returns an installation setting, or def when it was never set.
func (tx *Tx) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := tx.tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// SetSetting stores an installation setting.
func (tx *Tx) SetSetting(ctx context.Context, key, value string) error {
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
