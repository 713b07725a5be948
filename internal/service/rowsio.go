package service

import (
	"context"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Imports of the clause 4, 5 and 6.2 registers (issues, parties, roles, commitments, objectives) through
// importRows: the files their exports write come back in, a row with a ref updating that row, one without adding.
// Each register reads a row into its input type and checks it with the same apply as its add and update.

// ImportIssues reads issues (csv or xlsx), all or nothing, like ImportAssets.
func (s *Service) ImportIssues(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, issueImport, format, r, dryRun)
}

// ImportParties reads interested parties; their requirements column (as exports write it) is ignored.
func (s *Service) ImportParties(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, partyImport, format, r, dryRun)
}

// ImportRoles reads ISMS roles, each person by reference, name or email.
func (s *Service) ImportRoles(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, roleImport, format, r, dryRun)
}

// ImportCommitments reads leadership commitments.
func (s *Service) ImportCommitments(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, commitmentImport, format, r, dryRun)
}

// ImportObjectives reads objectives, their risks as references separated by commas.
func (s *Service) ImportObjectives(ctx context.Context, format string, r io.Reader, dryRun bool) (ImportResult, error) {
	return importRows(ctx, s, objectiveImport, format, r, dryRun)
}

// rowFields are the import fields of a register: ref and version (both optional), then its columns.
func rowFields(names ...string) []importer.Field {
	out := []importer.Field{{Name: "ref"}, {Name: "version"}}
	for _, n := range names {
		out = append(out, importer.Field{Name: n, Ignored: n == "overdue"}) // overdue is computed by exports
	}
	return out
}

// namedPerson are the input field that names a person ("owner") and the two columns exports write of it.
type namedPerson struct{ field, refCol, nameCol string }

// rowImport declares the import of a register on the kit edited through In: the file's columns are read into
// In by their json names (a saved row's values where the file lacks a column), the person named by one of
// two columns, and check validates In and copies it onto the row, the targets found among found.
func rowImport[In, T, F any](reg *store.Register[T, F], kind string, fields []importer.Field, person namedPerson,
	extra []importLookup[T], check func(p *isms.Problems, in In, found importFound, t *T)) registerImport[T] {
	lookups := extra
	if person.field != "" {
		lookups = append(lookups, importLookup[T]{lookup: store.PeopleLookup, values: func(row *importer.Row, saved *T) []string {
			if saved != nil && !row.Has(person.refCol) && !row.Has(person.nameCol) {
				return []string{stringField(inputOf[In](*saved), person.field)}
			}
			return []string{row.Get(person.refCol), row.Get(person.nameCol)}
		}})
	}
	return kitImport(reg, registerImport[T]{kind: kind, fields: fields, lookups: lookups,
		apply: func(p *isms.Problems, row *importer.Row, found importFound, t *T) {
			var in In
			if *reg.Ref(t) != "" { // an update: the columns the file lacks keep their saved values
				in = inputOf[In](*t)
			}
			readInput(row, &in)
			if person.field != "" && (row.Has(person.refCol) || row.Has(person.nameCol)) {
				setString(&in, person.field, firstNonEmpty(row.Get(person.refCol), row.Get(person.nameCol)))
			}
			var rp isms.Problems
			check(&rp, in, found, t)
			for _, e := range rp {
				p.Add(row.Prefix()+e.Field, "%s", e.Message)
			}
		},
		same: func(before, t *T) bool { return reflect.DeepEqual(normalRow(*before), normalRow(*t)) },
		stamp: func(t *T, now time.Time, isNew bool) {
			v := reflect.ValueOf(t).Elem()
			if isNew {
				v.FieldByName("CreatedAt").Set(reflect.ValueOf(now))
			}
			v.FieldByName("UpdatedAt").Set(reflect.ValueOf(now))
		},
	})
}

// readInput copies the columns a row has onto the string fields of in (and the list fields, comma-separated),
// matched by json name.
func readInput(row *importer.Row, in any) {
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		name := jsonName(v.Type().Field(i))
		if name == "-" || name == "version" || !row.Has(name) {
			continue
		}
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(row.Get(name))
		case reflect.Slice:
			var list []string
			for _, s := range strings.Split(row.Get(name), ",") {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			f.Set(reflect.ValueOf(list))
		}
	}
}

// stringField is the string field of in with the json name.
func stringField(in any, name string) string {
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		if jsonName(v.Type().Field(i)) == name {
			return v.Field(i).String()
		}
	}
	return ""
}

func setString(in any, name, value string) {
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if jsonName(v.Type().Field(i)) == name {
			v.Field(i).SetString(value)
		}
	}
}

// normalRow is a row with its empty lists as nil, so that a list read back empty is not a change.
func normalRow[T any](t T) T {
	v := reflect.ValueOf(&t).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 && f.CanSet() {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return t
}

// problemsOf adds the field problems of err (a validation error) to p.
func problemsOf(p *isms.Problems, err error) {
	if e, ok := isms.AsError(err); ok {
		*p = append(*p, e.Fields...)
	} else if err != nil {
		p.Add("row", "%s", err.Error())
	}
}

var (
	ownerCols  = namedPerson{field: "owner", refCol: "owner_ref", nameCol: "owner"}
	personCols = namedPerson{field: "person", refCol: "person_ref", nameCol: "person"}
)

var issueImport = rowImport(store.Issues, "I", rowFields("title", "kind", "description", "effect", "owner_ref", "owner", "review_date", "notes"),
	ownerCols, nil, func(p *isms.Problems, in IssueInput, found importFound, row *isms.Issue) {
		in.check(p)
		owner := resolveTarget(p, "owner", in.Owner, found["people"], "person")
		row.Title, row.Kind, row.Description = strings.TrimSpace(in.Title), in.Kind, strings.TrimSpace(in.Description)
		row.Effect, row.ReviewDate, row.Notes = strings.TrimSpace(in.Effect), in.ReviewDate, strings.TrimSpace(in.Notes)
		row.OwnerID, row.Owner, row.OwnerName = owner.ID, owner.Ref, owner.Name
	})

var partyImport = rowImport(store.Parties, "IP", rowFields("name", "kind", "description", "notes"),
	namedPerson{}, nil, func(p *isms.Problems, in PartyInput, _ importFound, row *isms.Party) {
		problemsOf(p, in.validate())
		row.Name, row.Kind = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Kind))
		row.Description, row.Notes = strings.TrimSpace(in.Description), strings.TrimSpace(in.Notes)
	})

var roleImport = rowImport(store.Roles, "RL", rowFields("name", "kind", "person_ref", "person", "responsibilities", "authorities", "notes"),
	personCols, nil, func(p *isms.Problems, in RoleInput, found importFound, row *isms.ISMSRole) {
		in.apply(p, found["people"], row)
	})

var commitmentImport = rowImport(store.Commitments, "LC", rowFields("date", "title", "person_ref", "person", "evidence", "document", "notes"),
	personCols, nil, func(p *isms.Problems, in CommitmentInput, found importFound, row *isms.Commitment) {
		in.apply(p, found["people"], row)
	})

var objectiveImport = rowImport(store.Objectives, "OBJ", rowFields("title", "measure", "target", "owner_ref", "owner", "due", "status", "overdue", "policy", "risks", "notes"),
	ownerCols, []importLookup[isms.Objective]{{lookup: store.RiskLookup, values: func(row *importer.Row, saved *isms.Objective) []string {
		if saved != nil && !row.Has("risks") {
			return saved.Risks
		}
		var in ObjectiveInput
		readInput(row, &in)
		return in.Risks
	}}}, func(p *isms.Problems, in ObjectiveInput, found importFound, row *isms.Objective) {
		in.apply(p, found["people"], found["risks"], row)
	})
