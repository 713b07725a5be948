package cli

import (
	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// certificationCmd is praxis certification: the certification audits, and the cycle with the certificate in force.
func (e *env) certificationCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.CertificationAudit, service.CertificationInput, service.CertificationFilter]{use: "certification",
		noun: "certification audit", plural: "certification audits",
		short: "Certification audits (Stage 1, Stage 2, surveillance, recertification): list, show, add, set, delete, export, cycle",
		reg:   service.CertificationRegister,
		list:  (*service.Service).ListCertification, get: (*service.Service).Certification, add: (*service.Service).AddCertification,
		patch: (*service.Service).PatchCertification, delete: (*service.Service).DeleteCertification, export: (*service.Service).ExportCertification,
		label: func(c isms.CertificationAudit) string { return c.Ref + " " + c.KindWords() },
		stamp: func(in *service.CertificationInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
	cycle := &cobra.Command{Use: "cycle", Short: "The certification cycle today: the certificate in force and the audits due, planned or done", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			c, err := svc.CertificationCycle(ctx)
			if err != nil {
				return err
			}
			if e.format == "table" {
				switch {
				case c.Certificate != nil:
					printf(e.stdout, "Certificate %s (%s), issued %s, expires %s.\n", c.Certificate.CertificateNumber, c.Certificate.Ref,
						c.Certificate.CertificateIssued, c.Certificate.CertificateExpiry)
				case c.Expired != nil:
					printf(e.stdout, "Certificate %s expired on %s.\n", c.Expired.CertificateNumber, c.Expired.CertificateExpiry)
				default:
					printf(e.stdout, "No certificate yet.\n")
				}
			}
			t := table{headers: []string{"step", "due", "audit", "date", "state"}, value: c}
			for _, s := range c.Steps {
				t.rows = append(t.rows, []string{s.Label, s.Due, s.Audit, s.Date, s.State})
			}
			return e.print(t)
		}}
	cmd.AddCommand(cycle)
	return cmd
}
