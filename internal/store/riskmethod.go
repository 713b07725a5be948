package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
)

// RiskMethod loads the organisation's risk method; an organisation that never set one gets the default.
func (tx *Tx) RiskMethod(ctx context.Context, orgID string) (isms.RiskMethod, error) {
	var m isms.RiskMethod
	var lj, ij, updated string
	err := tx.tx.QueryRowContext(ctx, `SELECT likelihood_json, impact_json, scoring, acceptance_threshold, high_threshold, updated_at, version
		FROM risk_methods WHERE org_id = $1`, orgID).Scan(&lj, &ij, &m.Scoring, &m.AcceptanceThreshold, &m.HighThreshold, &updated, &m.Version)
	if errors.Is(err, sql.ErrNoRows) {
		d := isms.DefaultRiskMethod()
		d.Version = 0 // not stored yet: the first save inserts
		return d, nil
	}
	if err != nil {
		return m, fmt.Errorf("load risk method: %w", err)
	}
	if err := json.Unmarshal([]byte(lj), &m.Likelihood); err != nil {
		return m, fmt.Errorf("risk method likelihood scale: %w", err)
	}
	if err := json.Unmarshal([]byte(ij), &m.Impact); err != nil {
		return m, fmt.Errorf("risk method impact scale: %w", err)
	}
	m.UpdatedAt, err = parseTS(updated)
	return m, err
}

// SaveRiskMethod inserts or updates the method with optimistic locking on m.Version (0 = never saved).
func (tx *Tx) SaveRiskMethod(ctx context.Context, orgID string, m isms.RiskMethod) error {
	lj, _ := json.Marshal(m.Likelihood)
	ij, _ := json.Marshal(m.Impact)
	if m.Version == 0 {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO risk_methods (org_id, likelihood_json, impact_json, scoring, acceptance_threshold, high_threshold, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`, orgID, string(lj), string(ij), string(m.Scoring), m.AcceptanceThreshold, m.HighThreshold, ts(m.UpdatedAt))
		if isUniqueViolation(err) {
			return isms.StaleVersion("risk method", "")
		}
		return err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE risk_methods SET likelihood_json = $1, impact_json = $2, scoring = $3, acceptance_threshold = $4,
		high_threshold = $5, updated_at = $6, version = version + 1 WHERE org_id = $7 AND version = $8`,
		string(lj), string(ij), string(m.Scoring), m.AcceptanceThreshold, m.HighThreshold, ts(m.UpdatedAt), orgID, m.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return isms.StaleVersion("risk method", "")
	}
	return nil
}
