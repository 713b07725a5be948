package store

import (
	"context"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Multi-row inserts of assets and treatment actions, for the large sample (praxis demo --scale large).

// NewAsset is one asset of a bulk insert, with its owner's person id ("" for none).
type NewAsset struct {
	Asset   isms.Asset
	OwnerID string
}

// InsertAssetsBulk inserts new assets in as few statements as the parameter limit allows.
func (tx *Tx) InsertAssetsBulk(ctx context.Context, orgID string, assets []NewAsset) error {
	rows := make([][]any, len(assets))
	for i, n := range assets {
		a := n.Asset
		rows[i] = []any{a.ID, orgID, a.Ref, a.Name, a.Type, nullString(n.OwnerID), a.Classification, a.Confidentiality, a.Integrity,
			a.Availability, a.Location, a.Notes, ts(a.CreatedAt), ts(a.UpdatedAt), 1}
	}
	return tx.insertBatched(ctx, "assets", []string{"id", "org_id", "ref", "name", "type", "owner_id", "classification",
		"confidentiality", "integrity", "availability", "location", "notes", "created_at", "updated_at", "version"}, rows)
}

// NewAction is one treatment action of a bulk insert, with its owner's person id ("" for none).
type NewAction struct {
	Action  isms.TreatmentAction
	OwnerID string
}

// InsertActionsBulk inserts new treatment actions in as few statements as the parameter limit allows.
func (tx *Tx) InsertActionsBulk(ctx context.Context, orgID string, actions []NewAction) error {
	rows := make([][]any, len(actions))
	for i, n := range actions {
		rows[i] = actionTable.insertRow(orgID, &actionRow{TreatmentAction: n.Action, ownerID: n.OwnerID, updatedAt: n.Action.CreatedAt})
	}
	return tx.insertBatched(ctx, "treatment_actions", actionTable.insertCols(), rows)
}
