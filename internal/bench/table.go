package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Print writes the report as tables, marking every figure that misses its target.
func (r *Report) Print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "praxis bench %s on %s: %d risks, %d assets, %d audit events\n", r.When.Format("2006-01-02 15:04"), r.Engine, r.Risks, r.Assets, r.AuditEvents)
	fmt.Fprintf(w, "machine: %d CPUs (%s), %d MB memory, %s, %s\n\n", m.CPUs, m.CPUModel, m.MemoryMB, m.OS, m.Go)
	fmt.Fprintf(w, "start to first /healthz 200: %.0f ms; RSS idle %.0f MB, peak %.0f MB\n\n", r.StartMS, r.IdleRSSMB, r.PeakRSSMB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page or list\tp50 ms\tp95 ms\ttarget ms\tKB\t\t")
	for _, l := range r.Latency {
		target := l.TargetMS
		if target == 0 { // a report written before rows had their own target
			target = TargetLatencyMS
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.0f\t%d\t%s\t\n", l.Name, l.P50MS, l.P95MS, target, l.Bytes/1024, mark(l.P95MS <= target && l.Error == "", l.Error))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "throughput\tclients\tper s\tbaseline per s\tratio\ttarget\t\t")
	for _, t := range r.Throughput {
		target, verdict := fmt.Sprintf("%.2f", t.Target), mark(t.Ratio >= t.Target, "")
		if t.Target == 0 { // shown for comparison, held to no target
			target, verdict = "-", ""
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.3f\t%s\t%s\t\n", t.Name, t.Clients, t.PerSec, t.BaselineSec, t.Ratio, target, verdict)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\tMB\tseconds\tpeak RSS MB\t\t")
	for _, f := range r.Files {
		ok := f.Seconds <= TargetExportSec && f.PeakRSSMB <= TargetExportMB
		if strings.HasPrefix(f.Name, "import") {
			ok = f.Seconds <= TargetImportSec
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.0f\t%s\t\n", f.Name, f.Rows, float64(f.Bytes)/(1<<20), f.Seconds, f.PeakRSSMB, mark(ok && f.Error == "", f.Error))
	}
	tw.Flush()
}

func mark(ok bool, problem string) string {
	switch {
	case problem != "":
		return "ERROR " + problem
	case ok:
		return "ok"
	}
	return "MISS"
}
