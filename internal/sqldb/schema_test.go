package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// column is what a backup relies on: the name, the position, the declared type and whether NULL is allowed.
type column struct {
	Name    string
	Type    string
	NotNull bool
}

// schema lists every ordinary table's columns in order, without goose's own bookkeeping table.
func schema(t *testing.T, db *sqldb.DB) map[string][]column {
	t.Helper()
	ctx := context.Background()
	// Ordinary tables only: SQLite's full-text search index (a virtual table and its shadow tables) is derived
	// data, like PostgreSQL's trigram index, and neither is backed up.
	q := `SELECT m.name, c.name, lower(c.type), c."notnull" = 1 OR c.pk > 0 FROM pragma_table_list m, pragma_table_info(m.name) c
		WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid`
	if db.Engine == sqldb.Postgres {
		q = `SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`
	}
	rows, err := db.R.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]column{}
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.Name, &c.Type, &c.NotNull); err != nil {
			t.Fatal(err)
		}
		if table != "goose_db_version" {
			out[table] = append(out[table], c)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// After migrating, SQLite and PostgreSQL have the same tables with the same columns in the same order, of the
// same declared types and nullability, so that a backup taken from one restores into the other.
func TestEnginesHaveTheSameSchema(t *testing.T) {
	lite, pg := schema(t, testutil.NewSQLite(t)), schema(t, testutil.NewPostgres(t))
	if len(lite) < 10 {
		t.Fatalf("SQLite has only %d tables: the schema query is wrong", len(lite))
	}
	var tables []string
	for name := range lite {
		tables = append(tables, name)
	}
	for name := range pg {
		if _, ok := lite[name]; !ok {
			tables = append(tables, name)
		}
	}
	slices.Sort(tables)
	for _, table := range tables {
		a, b := describe(lite[table]), describe(pg[table])
		if a != b {
			t.Errorf("table %s differs:\n  sqlite:   %s\n  postgres: %s", table, a, b)
		}
	}
}

func describe(cols []column) string {
	if cols == nil {
		return "(missing)"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("%s %s", c.Name, c.Type)
		if c.NotNull {
			parts[i] += " not null"
		}
	}
	return strings.Join(parts, ", ")
}
