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
		name := jsonName(from.Type().Field(i))
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

// UnmarshalJSON records the fields sent.
func (in *ActionInput) UnmarshalJSON(b []byte) error {
	type plain ActionInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

// inputOf is a saved row as the input that would save it again: each input field takes the row's field of the
// same JSON name and type (the API shows a row by the names it takes it by), so a new field needs no edit here.
// An input field without one stays zero (a risk's note); TestInputsMatchTheirRows keeps the rest in step.
func inputOf[In any](row any) In {
	var in In
	dst := reflect.ValueOf(&in).Elem()
	src := reflect.ValueOf(row)
	fields := map[string]reflect.Value{}
	for i := range src.NumField() {
		fields[jsonName(src.Type().Field(i))] = src.Field(i)
	}
	delete(fields, "-")
	for i := range dst.NumField() {
		if v, ok := fields[jsonName(dst.Type().Field(i))]; ok && v.Type() == dst.Field(i).Type() {
			dst.Field(i).Set(v)
		}
	}
	return in
}

// InputField is one field of an input type as a door fills it: its JSON name, its help (the doc tag, which the
// OpenAPI document shows too) and a pointer to it, a *string or an *int.
type InputField struct {
	Name, Doc string
	Ptr       any
}

// InputFields are the string and int fields of the struct in points to, by JSON name (version included), so
// that a web form and the CLI's flags take a new input field with no edit of their own.
func InputFields(in any) []InputField {
	v := reflect.ValueOf(in).Elem()
	var out []InputField
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if name := jsonName(f); name != "-" && name != "" && f.IsExported() && (f.Type.Kind() == reflect.String || f.Type.Kind() == reflect.Int) {
			out = append(out, InputField{Name: name, Doc: f.Tag.Get("doc"), Ptr: v.Field(i).Addr().Interface()})
		}
	}
	return out
}

// jsonName is the name a struct field has in JSON ("-" when it has none).
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// PatchAsset changes only the fields in.Sent names, onto the asset as it is saved; the version is required and a
// stale one is a Conflict.
func (s *Service) PatchAsset(ctx context.Context, ref string, in AssetInput) (isms.Asset, error) {
	return s.writeAsset(ctx, ref, in, func(saved isms.Asset) AssetInput { return overlay(inputOf[AssetInput](saved), in, in.Sent) })
}

// PatchPerson changes only the fields in.Sent names, like PatchAsset.
func (s *Service) PatchPerson(ctx context.Context, ref string, in PersonInput) (isms.Person, error) {
	return s.writePerson(ctx, ref, in, func(saved isms.Person) PersonInput { return overlay(inputOf[PersonInput](saved), in, in.Sent) })
}

// PatchAction changes only the fields in.Sent names, onto the treatment action as it is saved, like PatchAsset: a
// status change sends only the status and the version.
func (s *Service) PatchAction(ctx context.Context, ref string, in ActionInput) (isms.TreatmentAction, error) {
	return s.writeAction(ctx, ref, func(saved isms.TreatmentAction) (ActionInput, error) {
		return overlay(inputOf[ActionInput](saved), in, in.Sent), nil
	})
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
	merged := overlay(inputOf[RiskInput](saved), in, in.Sent)
	merged.Sent = nil
	return s.UpdateRisk(ctx, saved.Ref, merged)
}
