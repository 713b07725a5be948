package service

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
)

// BenchmarkLintGroups times each group of checks and the whole lint over a data folder made with
// `praxis --data DIR demo --scale large`, named by PRAXIS_LINT_DATA:
//
//	PRAXIS_LINT_DATA=/tmp/lb-large go test ./internal/service -run '^$' -bench LintGroups
func BenchmarkLintGroups(b *testing.B) {
	data := os.Getenv("PRAXIS_LINT_DATA")
	if data == "" {
		b.Skip("PRAXIS_LINT_DATA names no data folder")
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", data)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	key, _, _, err := keys.Load(data)
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, store.New(db), Config{BlobDir: filepath.Join(data, "blobs"), Key: key})
	if err != nil {
		b.Fatal(err)
	}
	a, err := s.OperatorActor(ctx, DemoOrgSlug, "")
	if err != nil {
		b.Fatal(err)
	}
	ctx = WithActor(ctx, a)
	all := checks
	defer func() { checks = all }()
	for name, group := range map[string]check{"soa": soaChecks, "implementation": implementationChecks, "support": supportChecks} {
		b.Run(name, func(b *testing.B) {
			checks = []check{group}
			for i := 0; i < b.N; i++ {
				if _, err := s.Lint(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("all", func(b *testing.B) {
		checks = all
		for i := 0; i < b.N; i++ {
			if _, err := s.Lint(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
