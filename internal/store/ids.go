package store

import (
	"slices"
	"strconv"
	"strings"
)

// sortControlIDs orders Annex A ids naturally (5.2 before 5.10).
func sortControlIDs(ids []string) {
	slices.SortFunc(ids, func(a, b string) int {
		pa, pb := strings.Split(a, "."), strings.Split(b, ".")
		for i := 0; i < len(pa) && i < len(pb); i++ {
			x, errx := strconv.Atoi(pa[i])
			y, erry := strconv.Atoi(pb[i])
			if errx != nil || erry != nil {
				if c := strings.Compare(pa[i], pb[i]); c != 0 {
					return c
				}
				continue
			}
			if x != y {
				return x - y
			}
		}
		return len(pa) - len(pb)
	})
}
