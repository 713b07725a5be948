package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/praxis-isms/praxis/internal/service"
)

// Remembered answers. The lists of the large registers are read far more often than they change, and every
// change of an organisation's records is audited in its trail, in the transaction that makes it: while the
// head of the trail stays where it was, a list asked again with the same query is the same bytes. Those answers
// are kept (per organisation, member, role, day, Accept header and query; GET only) and served again while
// Service.Revision (the head, read from the database with the caller's credentials) is unchanged, so a change
// made by another server on the same database is seen at once. The caller is authenticated by the middleware
// and allowed by the service on every request; only the reading of the rows and their encoding are saved. Each
// answer carries an ETag, and If-None-Match gets 304; a request with Cache-Control: no-cache is read afresh.

// rememberedLists are the operations whose answers depend on nothing but the organisation's records, the
// caller's permissions, the day (overdue) and the query.
var rememberedLists = map[string]bool{
	"GET " + Prefix + "/risks":             true,
	"GET " + Prefix + "/assets":            true,
	"GET " + Prefix + "/treatment-actions": true,
	"GET " + Prefix + "/people":            true,
	"GET " + Prefix + "/audit-events":      true,
}

// Bounds of what is kept: an answer larger than maxAnswer is not kept; past maxAnswers answers or
// maxAnswerBytes in all, the cache starts again empty.
const (
	maxAnswer      = 1 << 20
	maxAnswers     = 256
	maxAnswerBytes = 32 << 20
)

type answer struct {
	revision string
	etag     string
	header   http.Header // the headers the operation set
	body     []byte
}

type answers struct {
	mu    sync.Mutex
	m     map[string]answer
	bytes int
}

func (c *answers) get(key string) (answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[key]
	return a, ok
}

func (c *answers) put(key string, a answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxAnswers || c.bytes+len(a.body) > maxAnswerBytes {
		c.m, c.bytes = map[string]answer{}, 0
	}
	if old, ok := c.m[key]; ok {
		c.bytes -= len(old.body)
	}
	c.m[key] = a
	c.bytes += len(a.body)
}

// serveRemembered answers r from the remembered answer when the organisation's trail has not moved since it
// was kept, else runs next and keeps its answer (a 200 of a reasonable size).
func (a *API) serveRemembered(w http.ResponseWriter, r *http.Request, next http.Handler) {
	actor, ok := service.ActorFrom(r.Context())
	if !ok || r.Method != http.MethodGet || r.Header.Get("Range") != "" || strings.Contains(r.Header.Get("Cache-Control"), "no-cache") {
		next.ServeHTTP(w, r)
		return
	}
	rev, err := a.svc.Revision(r.Context())
	if err != nil { // refused or failed: the operation itself answers, with its own error
		next.ServeHTTP(w, r)
		return
	}
	// Accept too: the answer's format follows it.
	key := strings.Join([]string{actor.OrgID, actor.UserID, string(actor.Role), a.svc.Today(), r.Header.Get("Accept"), r.URL.RequestURI()}, "\x00")
	if hit, ok := a.answers.get(key); ok && hit.revision == rev {
		for k, v := range hit.header {
			w.Header()[k] = v
		}
		w.Header().Set("ETag", hit.etag)
		if etagMatches(r.Header.Get("If-None-Match"), hit.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(hit.body)
		return
	}
	sum := sha256.Sum256([]byte(key + "\x00" + rev))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	if etagMatches(r.Header.Get("If-None-Match"), etag) { // the same key and revision: the same answer
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	before := w.Header().Clone()
	rec := &keeper{ResponseWriter: w, etag: etag}
	next.ServeHTTP(rec, r)
	if rec.status != http.StatusOK || rec.tooBig {
		return
	}
	set := http.Header{}
	for k, v := range w.Header() {
		if k != "Etag" && !slices.Equal(before[k], v) {
			set[k] = slices.Clone(v)
		}
	}
	a.answers.put(key, answer{revision: rev, etag: etag, header: set, body: rec.buf.Bytes()})
}

// etagMatches tells whether an If-None-Match header names etag (or is *).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == etag || t == "*" {
			return true
		}
	}
	return false
}

// keeper passes an answer on while keeping a copy of its body (up to maxAnswer) and its status; a 200 gets
// the ETag it will be remembered under.
type keeper struct {
	http.ResponseWriter
	etag   string
	status int
	buf    bytes.Buffer
	tooBig bool
}

func (k *keeper) WriteHeader(status int) {
	if k.status == 0 {
		k.status = status
		if status == http.StatusOK {
			k.Header().Set("ETag", k.etag)
		}
	}
	k.ResponseWriter.WriteHeader(status)
}

func (k *keeper) Write(p []byte) (int, error) {
	if k.status == 0 {
		k.WriteHeader(http.StatusOK)
	}
	if !k.tooBig {
		if k.buf.Len()+len(p) > maxAnswer {
			k.tooBig, k.buf = true, bytes.Buffer{}
		} else {
			k.buf.Write(p)
		}
	}
	return k.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (k *keeper) Unwrap() http.ResponseWriter { return k.ResponseWriter }
