package api

import (
	"github.com/praxis-isms/praxis/internal/store"
)

// filterEnums gives the query parameters of a register's enum filters, on the GET operations of paths, the
// allowed values the register declares. huma validates a parameter against the very schema it documents, so
// the declaration is the one list of values, in the OpenAPI document and in the 422 answers alike.
func filterEnums[T, F any](a *API, reg *store.Register[T, F], paths ...string) {
	doc := a.h.OpenAPI()
	for _, path := range paths {
		item := doc.Paths[path]
		if item == nil || item.Get == nil {
			panic("filterEnums: no GET " + path)
		}
		for _, flt := range reg.Filters {
			if flt.Kind != store.FilterEnum {
				continue
			}
			for _, p := range item.Get.Parameters {
				if p.In == "query" && p.Name == flt.Name {
					p.Schema.Enum = make([]any, len(flt.Values))
					for i, v := range flt.Values {
						p.Schema.Enum[i] = v
					}
					p.Schema.PrecomputeMessages()
				}
			}
		}
	}
}
