package service_test

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/service"
)

// eofSignal is a reader that says when it has been read to the end.
type eofSignal struct {
	r    io.Reader
	once sync.Once
	done chan struct{}
}

func (s *eofSignal) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if err == io.EOF {
		s.once.Do(func() { close(s.done) })
	}
	return n, err
}

// registerXLSX is a workbook of n risks over the people of newRiskOrg.
func registerXLSX(t *testing.T, n int) []byte {
	t.Helper()
	cols := []table.Column{{Header: "title"}, {Header: "description"}, {Header: "owner"}, {Header: "likelihood"}, {Header: "impact"}, {Header: "treatment"}}
	sh := &table.Sheet{Name: "Risks", Columns: cols, Rows: func(emit func(table.Row) error) error {
		for i := range n {
			if err := emit(table.Row{fmt.Sprintf("Risk %d", i), fmt.Sprintf("A longer description of risk %d, as registers have.", i),
				"P-00" + fmt.Sprint(1+i%2), 1 + i%5, 1 + (i/5)%5, "modify"}); err != nil {
				return err
			}
		}
		return nil
	}}
	var buf bytes.Buffer
	ok(t, table.WriteXLSX(&buf, sh))
	return buf.Bytes()
}

// A big workbook is parsed before the import's transaction starts: meanwhile another organisation's write
// goes through at once instead of waiting for the parsing (on SQLite, one write transaction at a time).
func TestImportParsesBeforeTheTransaction(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		acme, other := newRiskOrg(t, e, "Acme"), newRiskOrg(t, e, "Globex")
		file := &eofSignal{r: bytes.NewReader(registerXLSX(t, 20_000)), done: make(chan struct{})}
		start := time.Now()
		imported := make(chan error, 1)
		go func() {
			_, err := e.svc.ImportRisks(acme.Ctx("editor"), "xlsx", file)
			imported <- err
		}()
		<-file.done                       // the file is read: the old code now parsed it inside its transaction
		time.Sleep(50 * time.Millisecond) // let it get there
		wrote := time.Now()
		_, err := e.svc.AddPerson(other.Ctx("editor"), service.PersonInput{Name: "Wanda Waiting"})
		ok(t, err)
		waited := time.Since(wrote)
		ok(t, <-imported)
		total := time.Since(start)
		t.Logf("import %v, the other write %v", total, waited)
		if waited > total/4 {
			t.Fatalf("another organisation's write waited %v during an import of %v", waited, total)
		}
	})
}
