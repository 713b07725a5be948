package service

import (
	"fmt"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
)

// mapControl reads a control id where tasks and evidence name one: a 2022 id is itself; a 2013 id (registers
// kept since 2013 are full of them) is the 2022 control it became when that is one control. ok is false
// otherwise, and why says so when id is a 2013 control that split, naming the candidates.
func (s *Service) mapControl(id string) (control string, ok bool, why string) {
	if c, ok := s.cat.Control(controlID(id)); ok {
		return c.ID, true, ""
	}
	old13, is13 := isms.ParseControl2013(id)
	old, known := s.cat.Control2013(old13)
	switch {
	case !is13 || !known:
		return "", false, ""
	case len(old.BecameIDs) == 1:
		return old.BecameIDs[0], true, ""
	}
	return "", false, fmt.Sprintf("%s is an ISO/IEC 27001:2013 control that became %s in 2022: name the one you mean", old.ID, strings.Join(old.BecameIDs, " and "))
}
