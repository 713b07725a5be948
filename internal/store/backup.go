package store

import (
	"context"
	"fmt"
	"strings"
)

// BackupTables lists every table a backup holds, parents before children so that a restore satisfies foreign
// keys as it goes. A new table must be added here (or to SkippedTables); a test checks the schema against both.
var BackupTables = []string{"organisations", "users", "memberships", "api_tokens", "audit_events", "people", "counters",
	"risk_methods", "assets", "risks", "risk_assets", "risk_controls", "risk_assessments", "treatment_actions", "soa_entries", "approved_versions",
	"documents", "document_versions", "document_readers",
	"isms_roles", "leadership_commitments", "objectives",
	"context_issues", "interested_parties", "party_requirements", "isms_scope",
	"tasks", "task_checks", "evidence", "evidence_controls", "evidence_clauses", "evidence_tasks", "courses", "training_records",
	"metrics", "measurements", "audit_programmes", "audits", "audit_team", "audit_items", "certification_audits", "findings", "corrective_actions",
	"management_reviews", "review_actions", "improvements",
	"lint_acks", "transition_rows", "transition_controls",
	"invitations", "recovery_codes", "security_events"}

// SkippedTables are left out of backups on purpose: sessions, reset links and known browsers are short-lived
// and restoring them would let people in on another server; settings belong to the installation, not its data;
// the login limiter's counts last minutes; blobs holds file bytes (PostgreSQL), which backups carry as files
// (blobs/ in the archive), not as rows.
var SkippedTables = []string{"sessions", "goose_db_version", "password_resets", "known_devices", "settings",
	"login_address_failures", "login_account_failures", "blobs"}

// Tables lists the tables of the current schema.
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	// Ordinary tables only: a search index (a virtual table and its shadow tables) is derived data.
	q := "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if s.DB.Engine == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := s.DB.R.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// EachRow streams every row of a backup table in primary-key order. Values are int64, string or nil: the schema
// uses only integer and text columns, so rows move between engines unchanged.
func (tx *Tx) EachRow(ctx context.Context, table string, fn func(cols []string, vals []any) error) error {
	if !isBackupTable(table) {
		return fmt.Errorf("%s is not a backup table", table)
	}
	rows, err := tx.tx.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY 1, 2, 3")
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case int32:
				vals[i] = int64(x)
			case int:
				vals[i] = int64(x)
			}
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// InsertRows inserts rows into a backup table with one multi-row statement per batch.
func (tx *Tx) InsertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if !isBackupTable(table) {
		return fmt.Errorf("%s is not a backup table", table)
	}
	for _, c := range cols {
		if !isIdent(c) {
			return fmt.Errorf("%s: bad column name %q", table, c)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for i, r := range rows {
		if len(r) != len(cols) {
			return fmt.Errorf("%s: row has %d values for %d columns", table, len(r), len(cols))
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", len(args)+1)
			args = append(args, r[j])
		}
		b.WriteByte(')')
	}
	if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("restore %s: %w", table, err)
	}
	return nil
}

// IsEmpty reports whether the database holds no organisation and no user, the only state a restore accepts.
func (tx *Tx) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM organisations) + (SELECT count(*) FROM users)").Scan(&n); err != nil {
		return false, err
	}
	return n == 0, nil
}

func isBackupTable(t string) bool {
	for _, x := range BackupTables {
		if x == t {
			return true
		}
	}
	return false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
