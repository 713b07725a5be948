package catalog

import (
	"slices"
	"strconv"
	"strings"
)

// normID turns user input such as " A.8.28 " or "a.8.28" into the bare form "8.28".
func normID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) > 2 && (id[0] == 'A' || id[0] == 'a') && id[1] == '.' {
		id = id[2:]
	}
	return id
}

// isIDLike reports whether a search word is a control id rather than text: two or more dot-separated numbers,
// optionally after "A." ("8.1", "A.8.2", "A.14.2.1"). Such a word matches ids exactly, so 8.1 is not 8.10.
func isIDLike(word string) bool {
	parts := strings.Split(normID(word), ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// compareIDs orders dotted ids naturally: 5.2 < 5.10 < 6.1, and A.5.1.1 < A.5.1.2 < A.18.1.1.
// Non-numeric segments fall back to string comparison so the order stays total.
func compareIDs(a, b string) int {
	as := strings.Split(normID(a), ".")
	bs := strings.Split(normID(b), ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		var c int
		if aerr == nil && berr == nil {
			c = an - bn
		} else {
			c = strings.Compare(as[i], bs[i])
		}
		if c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

func sortIDs(ids []string) { slices.SortFunc(ids, compareIDs) }
