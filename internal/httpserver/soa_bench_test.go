package httpserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// BenchmarkSoA measures the SoA where it is slowest to build: the demo organisation (its SoA approved twice, with
// draft edits) with 280 more people (about 290 in all: just under the 300 at which owner fields turn from lists into
// search fields, so the worst case), 200 assets and 2,000 risks linking controls, on SQLite. page is GET /soa as
// the owner sees it (every row with its edit form and owner field); xlsx and pdf are the draft through ExportSoA.
// Targets (design section 8): page under 50 ms, XLSX under 150 ms, PDF under 400 ms.
func BenchmarkSoA(b *testing.B) {
	srv := testutil.StartServer(b, sqldb.SQLite)
	ctx := context.Background()
	_, logins, err := srv.Svc.DemoSample(ctx, service.SampleSize{Assets: 200, Risks: 2_000}, nil)
	if err != nil {
		b.Fatal(err)
	}
	owner, err := srv.Svc.OperatorActor(ctx, service.DemoOrgSlug, "")
	if err != nil {
		b.Fatal(err)
	}
	actx := service.WithActor(ctx, owner)
	var people strings.Builder
	people.WriteString("name,email,department\n")
	for i := range 280 {
		fmt.Fprintf(&people, "Bench Person %03d,bench%03d@northwind.example,Dept %d\n", i, i, i%12)
	}
	if _, err := srv.Svc.ImportPeople(actx, "csv", strings.NewReader(people.String())); err != nil {
		b.Fatal(err)
	}
	var email string
	for _, l := range logins {
		if l.Role == isms.RoleOwner {
			email = l.Email
		}
	}
	client := srv.Login(b, email, service.DemoPassword)
	b.Run("page", func(b *testing.B) {
		var size int
		for b.Loop() {
			resp, err := client.Get(srv.URL + "/soa")
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("GET /soa: %d", resp.StatusCode)
			}
			size = int(n)
		}
		b.ReportMetric(float64(size)/1024, "KiB/page")
	})
	for _, format := range []string{"xlsx", "pdf"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := srv.Svc.ExportSoA(actx, nil, format, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
