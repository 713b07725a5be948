package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
)

type cliRisk struct {
	Ref                string   `json:"ref"`
	Title              string   `json:"title"`
	Owner              string   `json:"owner"`
	Assets             []string `json:"assets"`
	Likelihood         int      `json:"likelihood"`
	Impact             int      `json:"impact"`
	Score              int      `json:"score"`
	Treatment          string   `json:"treatment"`
	Controls           []string `json:"controls"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualImpact     int      `json:"residual_impact"`
	ResidualScore      int      `json:"residual_score"`
	AcceptedBy         string   `json:"accepted_by"`
	AcceptedAt         *string  `json:"accepted_at"`
	Version            int      `json:"version"`
}

func listRisks(t *testing.T, d string, filters ...string) []cliRisk {
	t.Helper()
	var out []cliRisk
	args := append([]string{d, "risk", "list", "--format", "json"}, filters...)
	if err := json.Unmarshal([]byte(mustRun(t, args...)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func cliRefs(risks []cliRisk) []string {
	out := []string{}
	for _, r := range risks {
		out = append(out, r.Ref)
	}
	return out
}

func TestRiskCommands(t *testing.T) {
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	join(t, data, "bob@example.com", "editor", "Bob")
	mustRun(t, d, "person", "add", "--name", "Alice Owner", "--email", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Bob Builder", "--email", "bob@example.com")
	mustRun(t, d, "person", "add", "--name", "Sofia Rossi", "--email", "sofia@example.com")

	// Assets.
	if out := mustRun(t, d, "asset", "add", "--name", "Customer platform", "--type", "service", "--owner", "P-003", "--classification", "confidential",
		"--confidentiality", "5", "--integrity", "5", "--availability", "4"); !strings.Contains(out, "Added A-001 Customer platform") {
		t.Fatalf("asset add: %s", out)
	}
	mustRun(t, d, "asset", "add", "--name", "Source code", "--type", "software", "--owner", "sofia@example.com")
	mustRun(t, d, "asset", "add", "--name", "Office", "--type", "site")
	if _, errOut, code := run(t, d, "asset", "add", "--name", "", "--type", "boat", "--integrity", "7"); code != 2 ||
		!strings.Contains(errOut, "name: is required") || !strings.Contains(errOut, "type: must be one of") || !strings.Contains(errOut, "integrity:") {
		t.Fatalf("bad asset: exit %d %s", code, errOut)
	}
	mustRun(t, d, "asset", "set", "A-002", "--location", "Hosted git")
	var asset struct {
		Ref, Name, Type, Owner, Location string
		Version                          int
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "asset", "show", "A-002", "--format", "json")), &asset); err != nil {
		t.Fatal(err)
	}
	if asset.Name != "Source code" || asset.Type != "software" || asset.Owner != "P-003" || asset.Location != "Hosted git" || asset.Version != 2 {
		t.Fatalf("asset after set: %+v", asset)
	}
	if out := mustRun(t, d, "asset", "list", "--type", "software", "--format", "csv"); !strings.Contains(out, "A-002,Source code,software,Sofia Rossi") ||
		strings.Contains(out, "A-001") {
		t.Fatalf("asset list --type: %s", out)
	}

	// Risks.
	out := mustRun(t, d, "risk", "add", "--title", "Insecure code reaches production", "--likelihood", "4", "--impact", "5", "--treatment", "modify",
		"--control", "8.28", "--control", "8.25", "--owner", "P-003", "--asset", "A-002", "--residual-likelihood", "2", "--residual-impact", "4")
	if !strings.Contains(out, "Added R-001") || !strings.Contains(out, "score 20") || !strings.Contains(out, "residual 8") {
		t.Fatalf("risk add: %s", out)
	}
	mustRun(t, d, "risk", "add", "--title", "Phishing", "--likelihood", "3", "--impact", "3", "--treatment", "retain", "--control", "6.3,8.7",
		"--owner", "bob@example.com", "--asset", "A-001,A-003")
	mustRun(t, d, "risk", "add", "--title", "Office flood", "--likelihood", "1", "--impact", "2", "--treatment", "retain", "--asset", "A-003")
	if _, errOut, code := run(t, d, "risk", "add", "--title", "Bad", "--likelihood", "7", "--impact", "1", "--treatment", "pray", "--control", "99.9",
		"--owner", "nobody", "--asset", "A-404"); code != 2 || !strings.Contains(errOut, "likelihood:") || !strings.Contains(errOut, "treatment:") ||
		!strings.Contains(errOut, "controls:") || !strings.Contains(errOut, "owner:") || !strings.Contains(errOut, "assets:") {
		t.Fatalf("bad risk: every field problem must be listed: exit %d %s", code, errOut)
	}

	// list --format json carries the risk fields.
	raw := mustRun(t, d, "risk", "list", "--format", "json")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(raw), &objs); err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("risk list: %s", raw)
	}
	for _, k := range []string{"ref", "title", "owner", "likelihood", "impact", "score", "treatment", "controls", "residual_likelihood", "residual_impact",
		"residual_score", "accepted_by", "accepted_at"} {
		if _, ok := objs[0][k]; !ok {
			t.Errorf("risk JSON lacks %q", k)
		}
	}
	r := listRisks(t, d)[0]
	if r.Ref != "R-001" || r.Owner != "P-003" || r.Score != 20 || r.ResidualScore != 8 || !slices.Equal(r.Controls, []string{"8.25", "8.28"}) ||
		!slices.Equal(r.Assets, []string{"A-002"}) || r.Treatment != "modify" || r.AcceptedAt != nil {
		t.Fatalf("R-001: %+v", r)
	}
	for _, c := range []struct {
		filters []string
		want    []string
	}{
		{[]string{"--control", "8.28"}, []string{"R-001"}},
		{[]string{"--band", "high"}, []string{"R-001"}},
		{[]string{"--band", "medium"}, []string{"R-002"}},
		{[]string{"--band", "low", "--treatment", "retain"}, []string{"R-003"}},
		{[]string{"--owner", "P-002"}, []string{"R-002"}},
		{[]string{"--asset", "A-003"}, []string{"R-002", "R-003"}},
		{[]string{"--search", "PHISH"}, []string{"R-002"}},
		{[]string{"--sort", "-score"}, []string{"R-001", "R-002", "R-003"}},
		{[]string{"--likelihood", "3", "--impact", "3"}, []string{"R-002"}},
		{[]string{"--appetite", "above"}, []string{"R-001", "R-002"}}, // residual 8; no residual, inherent 9
		{[]string{"--appetite", "within", "--sort", "-current"}, []string{"R-003"}},
	} {
		if got := cliRefs(listRisks(t, d, c.filters...)); !slices.Equal(got, c.want) {
			t.Errorf("risk list %v: %v, want %v", c.filters, got, c.want)
		}
	}
	if _, errOut, code := run(t, d, "risk", "list", "--band", "extreme"); code != 2 || !strings.Contains(errOut, "band") {
		t.Fatalf("bad band: exit %d %s", code, errOut)
	}
	if out := mustRun(t, d, "risk", "list", "--format", "csv"); !strings.HasPrefix(out, "ref,title,description,assets") || !strings.Contains(out, `R-001,Insecure code reaches production,,A-002,`) {
		t.Fatalf("risk list csv: %s", out)
	}
	if out := mustRun(t, d, "risk", "list"); !strings.Contains(out, "REF") || !strings.Contains(out, "Sofia Rossi") {
		t.Fatalf("risk list table: %s", out)
	}

	// set changes only the flags given.
	out = mustRun(t, d, "risk", "set", "R-001", "--residual-likelihood", "1", "--note", "SAST blocks merges")
	if !strings.Contains(out, "Updated R-001") || !strings.Contains(out, "version 2") {
		t.Fatalf("risk set: %s", out)
	}
	r = listRisks(t, d, "--search", "R-001")[0]
	if r.ResidualLikelihood != 1 || r.ResidualImpact != 4 || r.ResidualScore != 4 || r.Likelihood != 4 || r.Owner != "P-003" ||
		!slices.Equal(r.Controls, []string{"8.25", "8.28"}) || !slices.Equal(r.Assets, []string{"A-002"}) || r.Title != "Insecure code reaches production" {
		t.Fatalf("after set: %+v", r)
	}

	// Accept: bob (an editor who does not own R-001) may not; above the threshold a comment is needed.
	if _, errOut, code := run(t, d, "--as", "bob@example.com", "risk", "accept", "R-001", "--comment", "fine"); code != 1 || !strings.Contains(errOut, "only the risk owner") {
		t.Fatalf("bob accepts R-001: exit %d %s", code, errOut)
	}
	if out := mustRun(t, d, "--as", "bob@example.com", "risk", "accept", "R-002", "--comment", "Training done"); !strings.Contains(out, "Accepted R-002") ||
		!strings.Contains(out, "by Bob") {
		t.Fatalf("bob accepts his own risk: %s", out)
	}
	mustRun(t, d, "risk", "set", "R-001", "--residual-likelihood", "3") // residual 12 > 6
	if _, errOut, code := run(t, d, "risk", "accept", "R-001"); code != 2 || !strings.Contains(errOut, "comment: is required") {
		t.Fatalf("accept without comment: exit %d %s", code, errOut)
	}
	if out := mustRun(t, d, "risk", "accept", "R-001", "--comment", "Reviewed by the board"); !strings.Contains(out, "Accepted R-001") {
		t.Fatalf("accept: %s", out)
	}
	r = listRisks(t, d, "--accepted", "yes", "--control", "8.28")[0]
	if r.AcceptedAt == nil || r.AcceptedBy == "" || r.Version != 4 {
		t.Fatalf("accepted: %+v", r)
	}

	// Treatment plan, overdue by today's date.
	if out := mustRun(t, d, "risk", "action", "add", "R-001", "--title", "Run SAST in CI", "--owner", "P-002", "--due", "2020-01-31"); !strings.Contains(out, "Added TA-001 to R-001") {
		t.Fatalf("action add: %s", out)
	}
	mustRun(t, d, "risk", "action", "add", "R-001", "--title", "Secure coding training", "--due", "2999-12-31")
	mustRun(t, d, "risk", "action", "add", "R-002", "--title", "Phishing drills")
	var actions []struct {
		Ref     string `json:"ref"`
		RiskRef string `json:"risk_ref"`
		Status  string `json:"status"`
		Overdue bool   `json:"overdue"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "action", "list", "--overdue", "--format", "json")), &actions); err != nil {
		t.Fatal(err)
	}
	if len(actions) != 1 || actions[0].Ref != "TA-001" || !actions[0].Overdue || actions[0].RiskRef != "R-001" {
		t.Fatalf("overdue actions: %+v", actions)
	}
	if out := mustRun(t, d, "risk", "action", "list"); strings.Count(out, "\n") != 4 || !strings.Contains(out, "yes") {
		t.Fatalf("action list: %s", out)
	}
	if out := mustRun(t, d, "risk", "action", "set", "TA-001", "--status", "done"); !strings.Contains(out, "Updated TA-001 (done, version 2)") {
		t.Fatalf("action set: %s", out)
	}
	if out := mustRun(t, d, "risk", "action", "list", "--overdue", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("overdue after done: %s", out)
	}
	if _, errOut, code := run(t, d, "risk", "action", "set", "TA-404", "--status", "done"); code != 1 || !strings.Contains(errOut, "TA-404") {
		t.Fatalf("missing action: exit %d %s", code, errOut)
	}

	// show: details, history and actions.
	out = mustRun(t, d, "risk", "show", "R-001")
	for _, want := range []string{"R-001  Insecure code reaches production", "Sofia Rossi (P-003)", "likelihood 4 (Likely) x impact 5 (Severe) = 20 (high)",
		"8.25, 8.28", "= 12 (medium)", "Reviewed by the board", "History", "SAST blocks merges", "first assessment", "TA-001", "Secure coding training"} {
		if !strings.Contains(out, want) {
			t.Errorf("risk show lacks %q:\n%s", want, out)
		}
	}
	var detail struct {
		Ref     string            `json:"ref"`
		History []json.RawMessage `json:"history"`
		Actions []struct {
			Ref     string `json:"ref"`
			Overdue *bool  `json:"overdue"`
		} `json:"actions"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "show", "R-001", "--format", "json")), &detail); err != nil {
		t.Fatal(err)
	}
	if detail.Ref != "R-001" || len(detail.History) != 3 || len(detail.Actions) != 2 || detail.Actions[0].Overdue == nil {
		t.Fatalf("risk show json: %+v", detail)
	}

	// Heat maps.
	out = mustRun(t, d, "risk", "heatmap")
	if !strings.Contains(out, "Inherent risk heat map: 3 risks") || !strings.Contains(out, `Likelihood \ Impact`) || !strings.Contains(out, "5 Severe") {
		t.Fatalf("heatmap: %s", out)
	}
	lines := strings.Split(out, "\n")
	row := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		t.Fatalf("no row %q in\n%s", prefix, out)
		return ""
	}
	if got := row("4 Likely"); got != "4 Likely . L . M . M . H 1 H" {
		t.Errorf("row 4: %q", got)
	}
	if got := row("3 Possible"); got != "3 Possible . L . L 1 M . M . H" {
		t.Errorf("row 3: %q", got)
	}
	if out := mustRun(t, d, "risk", "heatmap", "--residual"); !strings.Contains(out, "Residual risk heat map: 1 risks") {
		t.Fatalf("residual heatmap: %s", out)
	}
	var hm struct {
		Total int `json:"total"`
		Cells []struct{ Likelihood, Impact, Count int }
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "heatmap", "--format", "json")), &hm); err != nil || hm.Total != 3 || len(hm.Cells) != 3 {
		t.Fatalf("heatmap json: %+v %v", hm, err)
	}

	// The method: resizing needs --rescale and changes nothing without it.
	if out := mustRun(t, d, "risk", "method"); !strings.Contains(out, "5 likelihood x 5 impact") || !strings.Contains(out, "Almost certain") {
		t.Fatalf("method: %s", out)
	}
	_, errOut, code := run(t, d, "risk", "method", "set", "--likelihood-levels", "3", "--impact-levels", "3", "--threshold", "4", "--high", "6")
	if code != 1 || !strings.Contains(errOut, "3 risks") || !strings.Contains(errOut, "--rescale") {
		t.Fatalf("method set without --rescale: exit %d %s", code, errOut)
	}
	type level struct {
		Label       string `json:"label"`
		Description string `json:"description"`
	}
	var method struct {
		Version             int     `json:"version"`
		Likelihood          []level `json:"likelihood"`
		Impact              []level `json:"impact"`
		AcceptanceThreshold int     `json:"acceptance_threshold"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "method", "--format", "json")), &method); err != nil || method.Version != 0 || len(method.Likelihood) != 5 {
		t.Fatalf("method after the refused change: %+v %v", method, err)
	}
	if r := listRisks(t, d, "--search", "R-001")[0]; r.Likelihood != 4 || r.Impact != 5 {
		t.Fatalf("refused method change moved R-001: %+v", r)
	}
	out = mustRun(t, d, "risk", "method", "set", "--likelihood-levels", "3", "--impact-levels", "3", "--threshold", "4", "--high", "6", "--rescale")
	// Both acceptances accepted scores that the mapping changes (R-001 residual 3x4 -> 2x3, R-002 inherent 3x3 -> 2x2).
	if !strings.Contains(out, "version 1") || !strings.Contains(out, "3x3") || !strings.Contains(out, "Re-scored 3 risks; each has a history entry with its previous levels and scores.") ||
		!strings.Contains(out, "Withdrew 2 acceptances (R-001, R-002): the score accepted changed") {
		t.Fatalf("method set --rescale: %s", out)
	}
	if got := cliRefs(listRisks(t, d, "--accepted", "yes")); len(got) != 0 {
		t.Fatalf("acceptances kept after the rescale: %v", got)
	}
	// 5 levels to 3: 4 -> 3, 5 -> 3, 3 -> 2, 1 -> 1.
	r = listRisks(t, d, "--search", "R-001")[0]
	if r.Likelihood != 3 || r.Impact != 3 || r.Score != 9 || r.ResidualLikelihood != 2 || r.ResidualImpact != 3 || r.ResidualScore != 6 {
		t.Fatalf("R-001 after rescale: %+v", r)
	}
	// The history keeps each assessment's bands under the method it was made under: the first one's residual 8
	// was medium under 5x5 (appetite 6, high 15); the re-scored one is under 3x3 (appetite 4, high 6).
	show := mustRun(t, d, "risk", "show", "R-001")
	for _, want := range []string{"20 (high)", "8 (medium)", "5x5 multiply, appetite 6, high 15", "9 (high)", "3x3 multiply, appetite 4, high 6", "first assessment"} {
		if !strings.Contains(show, want) {
			t.Errorf("risk show R-001 lacks %q:\n%s", want, show)
		}
	}
	if r := listRisks(t, d, "--search", "R-003")[0]; r.Likelihood != 1 || r.Impact != 2 || r.Score != 2 {
		t.Fatalf("R-003 after rescale: %+v", r)
	}
	// New labels keep the levels' descriptions (those of the 3-level default scale); descriptions are set by level.
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "method", "--format", "json")), &method); err != nil || method.Likelihood[1].Description == "" {
		t.Fatalf("the 3-level default scale has no descriptions: %+v %v", method, err)
	}
	kept := method.Likelihood[1].Description
	mustRun(t, d, "risk", "method", "set", "--likelihood-labels", "Low,Medium,High", "--impact-description", "3=Customers leave, regulators step in, or both")
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "method", "--format", "json")), &method); err != nil || method.Version != 2 ||
		method.Likelihood[0].Label != "Low" || method.Likelihood[2].Label != "High" || method.AcceptanceThreshold != 4 ||
		method.Likelihood[1].Description != kept || method.Impact[2].Description != "Customers leave, regulators step in, or both" || method.Impact[0].Description == "" {
		t.Fatalf("method after labels and a description: %+v %v", method, err)
	}
	if out := mustRun(t, d, "risk", "method"); !strings.Contains(out, "2 Medium: "+kept) || !strings.Contains(out, "3 High: Customers leave, regulators step in, or both") {
		t.Fatalf("method shows: %s", out)
	}
	if _, errOut, code := run(t, d, "risk", "method", "set", "--likelihood-description", "4=Too high", "--impact-description", "three"); code != 2 ||
		!strings.Contains(errOut, "likelihood-description: level 4 is not on the 3-level scale") || !strings.Contains(errOut, `impact-description: "three" is not LEVEL=TEXT`) {
		t.Fatalf("bad descriptions: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, d, "risk", "method", "set", "--likelihood-levels", "4", "--likelihood-labels", "a,b,c"); code != 2 || !strings.Contains(errOut, "likelihood-labels") {
		t.Fatalf("labels for the wrong size: exit %d %s", code, errOut)
	}
	// The history shows its notes in full.
	if out := mustRun(t, d, "risk", "show", "R-001"); !strings.Contains(out, "re-scored after the risk method changed (5x5 multiply to 3x3 multiply); was 4x5 = 20, residual 3x4 = 12; "+
		"acceptance by alice on ") || !strings.Contains(out, "withdrawn: the residual risk it accepted (3x4 = 12) is now residual 2x3 = 6") {
		t.Fatalf("history lacks the rescale: %s", out)
	}
	if out := mustRun(t, d, "risk", "heatmap"); !strings.Contains(out, "3x3") || !strings.Contains(out, "3 High") {
		t.Fatalf("heatmap on 3x3: %s", out)
	}

	// A viewer reads the register but changes nothing.
	join(t, data, "vera@example.com", "viewer", "Vera")
	if _, errOut, code := run(t, d, "--as", "vera@example.com", "risk", "set", "R-001", "--title", "Mine"); code == 0 || !strings.Contains(errOut, "may not") {
		t.Fatalf("viewer set: exit %d %s", code, errOut)
	}
	mustRun(t, d, "--as", "vera@example.com", "risk", "list")

	// The audit trail holds every change, made via the CLI.
	var evs []struct{ Action, Entity, Ref, Via string }
	if err := json.Unmarshal([]byte(mustRun(t, d, "log", "list", "--limit", "200", "--format", "json")), &evs); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, ev := range evs {
		counts[ev.Action+" "+ev.Entity]++
		joined := ev.Action == "accept" && ev.Entity == "invitation" || ev.Action == "add" && ev.Entity == "member"
		if ev.Via != "cli" && !joined { // invitees accept in the browser
			t.Errorf("event %+v not via cli", ev)
		}
	}
	if counts["create risk"] != 3 || counts["accept risk"] != 2 || counts["update risk method"] != 2 || counts["rescore risk"] != 1 ||
		counts["withdraw acceptance risk"] != 2 || counts["create treatment action"] != 3 {
		t.Errorf("audit events: %v", counts)
	}

	// Delete.
	if out := mustRun(t, d, "risk", "delete", "R-003"); !strings.Contains(out, "Deleted R-003") {
		t.Fatalf("delete: %s", out)
	}
	mustRun(t, d, "asset", "delete", "A-003")
	if r := listRisks(t, d, "--search", "R-002")[0]; !slices.Equal(r.Assets, []string{"A-001"}) {
		t.Fatalf("R-002 assets after deleting A-003: %v", r.Assets)
	}
	if _, errOut, code := run(t, d, "risk", "show", "R-003"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("show deleted: exit %d %s", code, errOut)
	}

	// A residual score above the inherent one is saved; the warning goes to stderr, not to stdout.
	out, errOut, code = run(t, d, "risk", "add", "--title", "Odd", "--likelihood", "1", "--impact", "1", "--treatment", "modify",
		"--residual-likelihood", "2", "--residual-impact", "1")
	if code != 0 || !strings.Contains(out, "Added R-004") || strings.Contains(out, "warning") ||
		!strings.Contains(errOut, "praxis: warning: the residual score 2 of risk R-004 is above its inherent score 1") {
		t.Fatalf("residual above inherent: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestRiskImportExportCommands(t *testing.T) {
	d := "--data=" + t.TempDir()
	dir := t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Sofia Rossi", "--email", "sofia@example.com")

	assets := filepath.Join(dir, "assets.csv")
	os.WriteFile(assets, []byte("name,type,owner,classification\nLaptops,hardware,sofia@example.com,internal\nCRM,service,P-001,confidential\n"), 0o600)
	if out := mustRun(t, d, "asset", "import", assets); !strings.Contains(out, "Imported 2 assets: A-001, A-002") {
		t.Fatalf("asset import: %s", out)
	}
	good := filepath.Join(dir, "risks.csv")
	os.WriteFile(good, []byte("title,assets,owner,likelihood,impact,treatment,controls,residual_likelihood,residual_impact\n"+
		"Laptop theft,A-001,P-001,3,3,modify,8.1,2,2\nCRM breach,A-002,,2,5,modify,\"5.15,8.5\",,\n"), 0o600)
	if out := mustRun(t, d, "risk", "import", good); !strings.Contains(out, "Imported 2 risks: R-001, R-002") {
		t.Fatalf("risk import: %s", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("title,likelihood,impact,treatment\nFine,1,1,retain\n,1,1,retain\nWorse,8,1,hope\n"), 0o600)
	_, errOut, code := run(t, d, "risk", "import", bad)
	if code != 2 || !strings.Contains(errOut, "line 3: title") || !strings.Contains(errOut, "line 4: likelihood") || !strings.Contains(errOut, "line 4: treatment") {
		t.Fatalf("bad import: exit %d %s", code, errOut)
	}
	if n := len(listRisks(t, d)); n != 2 {
		t.Fatalf("a bad import added risks: %d", n)
	}
	if _, errOut, code := run(t, d, "risk", "import", filepath.Join(dir, "risks.txt")); code != 2 || !strings.Contains(errOut, "--format") {
		t.Fatalf("unknown extension: exit %d %s", code, errOut)
	}

	// Exports: by extension or --format; a file is written whole.
	xlsx := filepath.Join(dir, "register.xlsx")
	mustRun(t, d, "risk", "export", "-o", xlsx)
	if b, _ := os.ReadFile(xlsx); !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("xlsx export: %.20q", b)
	}
	pdf := filepath.Join(dir, "register.out")
	mustRun(t, d, "risk", "export", "--format", "pdf", "-o", pdf)
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("pdf export: %.20q", b)
	}
	out := mustRun(t, d, "risk", "export", "--control", "8.1")
	if !strings.HasPrefix(out, "ref,title") || !strings.Contains(out, "Laptop theft") || strings.Contains(out, "CRM breach") {
		t.Fatalf("csv export to stdout with a filter: %s", out)
	}
	// The export imports back in place with nothing to change, and, without its refs, into another organisation
	// as the same risks.
	round := filepath.Join(dir, "round.csv")
	mustRun(t, d, "risk", "export", "-o", round)
	if out := mustRun(t, d, "risk", "import", round); !strings.HasPrefix(out, "Imported 0 risks, updated 0, left 2 unchanged.") {
		t.Fatalf("the export imported back: %s", out)
	}
	exported, _ := os.ReadFile(round)
	os.WriteFile(round, regexp.MustCompile(`(?m)^R-\d+,`).ReplaceAll(exported, []byte(",")), 0o600)
	d2 := "--data=" + t.TempDir()
	mustRun(t, d2, "init", "--org", "Beta", "--owner", "bea@example.com")
	mustRun(t, d2, "person", "add", "--name", "Sofia Rossi", "--email", "sofia@example.com")
	mustRun(t, d2, "asset", "import", assets)
	if out := mustRun(t, d2, "risk", "import", round); !strings.Contains(out, "Imported 2 risks") {
		t.Fatalf("round trip: %s", out)
	}
	a, b := listRisks(t, d), listRisks(t, d2)
	if !slices.EqualFunc(a, b, func(x, y cliRisk) bool {
		return x.Ref == y.Ref && x.Title == y.Title && x.Owner == y.Owner && x.Score == y.Score && x.ResidualScore == y.ResidualScore &&
			slices.Equal(x.Controls, y.Controls) && slices.Equal(x.Assets, y.Assets)
	}) {
		t.Fatalf("round trip differs:\n%+v\n%+v", a, b)
	}
	assetOut := filepath.Join(dir, "assets-out.csv")
	mustRun(t, d, "asset", "export", "-o", assetOut)
	if b, _ := os.ReadFile(assetOut); !bytes.Contains(b, []byte("A-002,CRM,service")) {
		t.Fatalf("asset export: %s", b)
	}
	if _, errOut, code := run(t, d, "asset", "export", "--format", "docx"); code != 2 || !strings.Contains(errOut, "format") {
		t.Fatalf("bad export format: exit %d %s", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), ".praxis-export") }) {
		t.Fatalf("temporary export files left behind: %v", entries)
	}
}

// TestListsPageThrough: lists show every row by default, read 500 at a time, and say on standard error when
// --limit or --offset shows only part; `risk list --format csv` is the register export's CSV, row for row.
func TestListsPageThrough(t *testing.T) {
	d := "--data=" + t.TempDir()
	dir := t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	mustRun(t, d, "person", "add", "--name", "Sofia Rossi", "--email", "sofia@example.com")
	one := filepath.Join(dir, "one-asset.csv")
	os.WriteFile(one, []byte("name,type\nLaptops,hardware\n"), 0o600)
	if out := mustRun(t, d, "asset", "import", one); out != "Imported 1 asset: A-001.\n" {
		t.Fatalf("one asset: %q", out)
	}
	var assets, risks strings.Builder
	assets.WriteString("name,type\n")
	risks.WriteString("title,owner,likelihood,impact,treatment,controls\n")
	for i := 1; i <= 600; i++ {
		fmt.Fprintf(&assets, "Server %d,hardware\n", i)
		fmt.Fprintf(&risks, "Risk %d,P-001,%d,%d,modify,8.%d\n", i, i%5+1, i%3+1, i%30+1)
	}
	os.WriteFile(filepath.Join(dir, "assets.csv"), []byte(assets.String()), 0o600)
	os.WriteFile(filepath.Join(dir, "risks.csv"), []byte(risks.String()), 0o600)
	mustRun(t, d, "asset", "import", filepath.Join(dir, "assets.csv"))
	if out := mustRun(t, d, "risk", "import", filepath.Join(dir, "risks.csv")); out != "Imported 600 risks: R-001 to R-600.\n" {
		t.Fatalf("risk import: %q", out)
	}

	all := listRisks(t, d)
	if len(all) != 600 || all[0].Ref != "R-001" || all[599].Ref != "R-600" {
		t.Fatalf("risk list shows %d risks, want all 600", len(all))
	}
	if out, errOut, code := run(t, d, "risk", "list"); code != 0 || strings.Count(out, "\n") != 601 || errOut != "" {
		t.Fatalf("risk list: exit %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
	out, errOut, code := run(t, d, "risk", "list", "--limit", "10")
	if code != 0 || strings.Count(out, "\n") != 11 || errOut != "showing 10 of 600 risks (--limit 0 shows all)\n" {
		t.Fatalf("risk list --limit 10: exit %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
	out, errOut, _ = run(t, d, "risk", "list", "--offset", "595", "--format", "json")
	var tail []cliRisk
	if err := json.Unmarshal([]byte(out), &tail); err != nil || !slices.Equal(cliRefs(tail), []string{"R-596", "R-597", "R-598", "R-599", "R-600"}) ||
		errOut != "showing 5 of 600 risks, from number 596 (--limit 0 shows all)\n" {
		t.Fatalf("risk list --offset 595: %v %v, stderr %q", cliRefs(tail), err, errOut)
	}
	if out, errOut, _ := run(t, d, "risk", "list", "--limit", "520", "--offset", "100", "--format", "json"); strings.Count(out, `"ref":`) != 500 ||
		errOut != "showing 500 of 600 risks, from number 101 (--limit 0 shows all)\n" {
		t.Fatalf("risk list --limit 520 --offset 100: %d risks, stderr %q", strings.Count(out, `"ref":`), errOut)
	}
	if out, errOut, _ := run(t, d, "asset", "list", "--format", "csv"); strings.Count(out, "\n") != 602 || errOut != "" {
		t.Fatalf("asset list: %d lines, stderr %q", strings.Count(out, "\n"), errOut)
	}
	if _, errOut, _ := run(t, d, "asset", "list", "--limit", "501"); errOut != "showing 501 of 601 assets (--limit 0 shows all)\n" {
		t.Fatalf("asset list --limit 501: stderr %q", errOut)
	}
	// One row model: the list's CSV is the export's.
	if list, export := mustRun(t, d, "risk", "list", "--format", "csv", "--sort", "-score"), mustRun(t, d, "risk", "export", "--sort", "-score"); list != export {
		t.Fatalf("risk list --format csv differs from risk export:\n%.300s\n---\n%.300s", list, export)
	}

	// The treatment plan: listed in part, exported with whether each action is overdue.
	mustRun(t, d, "risk", "action", "add", "R-001", "--title", "Patch the servers", "--owner", "P-001", "--due", "2020-01-31")
	mustRun(t, d, "risk", "action", "add", "R-002", "--title", "Encrypt the disks", "--due", "2999-12-31")
	mustRun(t, d, "risk", "action", "add", "R-002", "--title", "Review access", "--status", "done", "--due", "2020-02-01")
	if _, errOut, _ := run(t, d, "risk", "action", "list", "--limit", "2"); errOut != "showing 2 of 3 treatment actions (--limit 0 shows all)\n" {
		t.Fatalf("action list --limit 2: stderr %q", errOut)
	}
	out = mustRun(t, d, "risk", "action", "export")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || lines[0] != "ref,risk,title,owner_ref,owner,due,status,overdue,notes,created_at" ||
		!strings.HasPrefix(lines[1], "TA-001,R-001,Patch the servers,P-001,Sofia Rossi,2020-01-31,planned,yes,,") ||
		!strings.HasPrefix(lines[2], "TA-003,R-002,Review access,,,2020-02-01,done,no,,") || !strings.HasPrefix(lines[3], "TA-002,R-002,Encrypt the disks,,,2999-12-31,planned,no,,") {
		t.Fatalf("action export:\n%s", out)
	}
	if out := mustRun(t, d, "risk", "action", "export", "--overdue"); strings.Count(out, "\n") != 2 || !strings.Contains(out, "TA-001") {
		t.Fatalf("action export --overdue:\n%s", out)
	}
	pdf := filepath.Join(dir, "plan.pdf")
	mustRun(t, d, "risk", "action", "export", "-o", pdf)
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("plan pdf: %.20q", b)
	}
}

// TestRiskAddFromLibrary: `risk add --threat T.. --vulnerability V..` takes the title, description and
// suggested controls from the library.
func TestRiskAddFromLibrary(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme", "--owner", "alice@example.com")
	c := catalog.MustLoad()
	th, v := c.Threats()[0], c.Vulnerabilities()[0]
	if out := mustRun(t, d, "risk", "add", "--threat", th.ID, "--vulnerability", v.ID, "--likelihood", "3", "--impact", "4", "--treatment", "modify"); !strings.Contains(out, "Added R-001 "+th.Name+": score 12.") {
		t.Fatalf("risk add from the library: %s", out)
	}
	var r struct {
		Title, Description, Threat, Vulnerability string
		Controls                                  []string
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "show", "R-001", "--format", "json")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Title != th.Name || r.Description != th.Description || r.Threat != th.Name || r.Vulnerability != v.Name || !slices.Contains(r.Controls, th.Controls[0]) ||
		!slices.Contains(r.Controls, v.Controls[0]) {
		t.Fatalf("R-001: %+v", r)
	}
	if _, errOut, code := run(t, d, "risk", "add", "--threat", "T999", "--likelihood", "3", "--impact", "4", "--treatment", "modify"); code != 2 ||
		!strings.Contains(errOut, "threat: T999 is not in the threat library") || !strings.Contains(errOut, "title: is required") {
		t.Fatalf("unknown threat id: exit %d %s", code, errOut)
	}
}
