package service

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// Sent is the set of fields, by their JSON names, that a request carried. A whole-record update (PUT) uses it to
// say "is required" of a required field left out, rather than failing its range check on the zero value; a
// partial update (PATCH, CLI set) changes only these fields and keeps the others as they are saved. It is nil for
// an input built in Go (web forms, imports), which is then taken whole.
type Sent map[string]bool

// SentOf names fields as sent (the CLI's set: the flags given).
func SentOf(fields ...string) Sent {
	s := Sent{}
	for _, f := range fields {
		s[f] = true
	}
	return s
}

// require is Invalid with "is required" for each of the fields a decoded request left out.
func (s Sent) require(fields ...string) error {
	if s == nil {
		return nil
	}
	var p isms.Problems
	for _, f := range fields {
		if !s[f] {
			p.Add(f, "is required")
		}
	}
	return p.Err()
}

// decodeSent decodes a JSON object into v (a plain alias of an input type, so that its own UnmarshalJSON is not
// called again) and records which top-level fields it held.
func decodeSent(b []byte, v any, sent *Sent) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	*sent = Sent{}
	for k := range keys {
		(*sent)[k] = true
	}
	return nil
}

// overlay returns saved with the fields of in that were sent (matched by their JSON names) put over it: the
// input of a partial update, whole again. The version is always in's.
func overlay[T any](saved, in T, sent Sent) T {
	out := reflect.ValueOf(&saved).Elem()
	from := reflect.ValueOf(in)
	for i := range from.NumField() {
		name, _, _ := strings.Cut(from.Type().Field(i).Tag.Get("json"), ",")
		if name != "-" && sent[name] || name == "version" {
			out.Field(i).Set(from.Field(i))
		}
	}
	return saved
}

// The fields a whole-record update must carry.
var (
	assetRequired  = []string{"name", "type"}
	personRequired = []string{"name"}
	riskRequired   = []string{"title", "likelihood", "impact", "treatment"}
)

// UnmarshalJSON records the fields sent.
func (in *AssetInput) UnmarshalJSON(b []byte) error {
	type plain AssetInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// UnmarshalJSON records the fields sent.
func (in *PersonInput) UnmarshalJSON(b []byte) error {
	type plain PersonInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// UnmarshalJSON records the fields sent.
func (in *RiskInput) UnmarshalJSON(b []byte) error {
	type plain RiskInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// inputOfAsset is a saved asset as an input (its owner by reference).
func inputOfAsset(a isms.Asset) AssetInput {
	return AssetInput{Name: a.Name, Type: a.Type, Owner: a.Owner, Classification: a.Classification, Confidentiality: a.Confidentiality,
		Integrity: a.Integrity, Availability: a.Availability, Location: a.Location, Notes: a.Notes, Version: a.Version}
}

// inputOfPerson is a saved person as an input.
func inputOfPerson(p isms.Person) PersonInput {
	return PersonInput{Name: p.Name, Email: p.Email, JobTitle: p.JobTitle, Department: p.Department, StartDate: p.StartDate, Version: p.Version}
}

// inputOfRisk is a saved risk as an input (owner and assets by reference).
func inputOfRisk(r isms.Risk) RiskInput {
	return RiskInput{Title: r.Title, Description: r.Description, Assets: r.Assets, Threat: r.Threat, Vulnerability: r.Vulnerability,
		Owner: r.Owner, Likelihood: r.Likelihood, Impact: r.Impact, Treatment: r.Treatment, Controls: r.Controls,
		ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact, Version: r.Version}
}

// PatchAsset changes only the fields in.Sent names, onto the asset as it is saved; the version is required and a
// stale one is a Conflict.
func (s *Service) PatchAsset(ctx context.Context, ref string, in AssetInput) (isms.Asset, error) {
	return s.writeAsset(ctx, ref, in, func(saved isms.Asset) AssetInput { return overlay(inputOfAsset(saved), in, in.Sent) })
}

// PatchPerson changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchPerson(ctx context.Context, ref string, in PersonInput) (isms.Person, error) {
	return s.writePerson(ctx, ref, in, func(saved isms.Person) PersonInput { return overlay(inputOfPerson(saved), in, in.Sent) })
}

// PatchRisk changes only the fields in.Sent names, like PatchAsset; a change of the assessment is a reassessment
// as in UpdateRisk. The merge is made on the risk at the version sent, and UpdateRisk checks that version again
// in its transaction, so a change made meanwhile is a Conflict, never overwritten.
func (s *Service) PatchRisk(ctx context.Context, ref string, in RiskInput) (RiskResult, error) {
	saved, err := readAs(ctx, s, isms.PermWriteContent, func(tx *store.Tx, a Actor) (isms.Risk, error) {
		if in.Version < 1 {
			return isms.Risk{}, isms.VersionMismatch("risk", ref, in.Version)
		}
		return tx.RiskByRef(ctx, a.OrgID, ref)
	})
	if err != nil {
		return RiskResult{}, err
	}
	if saved.Version != in.Version {
		return RiskResult{}, isms.StaleVersion("risk", saved.Ref)
	}
	merged := overlay(inputOfRisk(saved), in, in.Sent)
	merged.Sent = nil
	return s.UpdateRisk(ctx, saved.Ref, merged)
}
