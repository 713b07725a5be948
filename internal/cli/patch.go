package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// sentFlags names the flags given on the command line by the input fields they set: --job-title sets
// job_title, and renamed names the others (--asset sets assets). A set command sends only these fields.
func sentFlags(c *cobra.Command, renamed map[string]string) service.Sent {
	sent := service.Sent{}
	c.Flags().Visit(func(f *pflag.Flag) {
		name := renamed[f.Name]
		if name == "" {
			name = strings.ReplaceAll(f.Name, "-", "_")
		}
		sent[name] = true
	})
	return sent
}

// inputFlags adds a flag for each field of the input in points to (service.InputFields): --job-title sets
// job_title, with the field's doc as its help. A new input field is a new flag with no edit here.
func inputFlags(c *cobra.Command, in any) {
	for _, f := range service.InputFields(in) {
		name := strings.ReplaceAll(f.Name, "_", "-")
		switch p := f.Ptr.(type) {
		case *string:
			c.Flags().StringVar(p, name, "", f.Doc)
		case *int:
			if name != "version" { // set reads the version itself (patchLatest)
				c.Flags().IntVar(p, name, 0, f.Doc)
			}
		}
	}
}

// patchLatest changes a row as it is now: it reads the row's version and sends the partial change with it. When
// someone changes the row in between, the change is sent again onto the newer version: it carries only the
// fields given, so the other change is kept, never overwritten.
func patchLatest[T any](version func() (int, error), patch func(version int) (T, error)) (T, error) {
	var out T
	var conflict error
	last := -1
	for {
		v, err := version()
		if err != nil {
			return out, err
		}
		if v == last { // not a stale version (a duplicate, say): the row is as it was
			return out, conflict
		}
		last = v
		out, err = patch(v)
		if e, ok := isms.AsError(err); ok && e.Kind == isms.KindConflict {
			conflict = err
			continue
		}
		return out, err
	}
}
