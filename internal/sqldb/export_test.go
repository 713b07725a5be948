package sqldb

import "context"

// MigrateDownTo rolls the schema back to version v, so that a test can run a migration over older data.
func (db *DB) MigrateDownTo(ctx context.Context, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, v)
	return err
}
