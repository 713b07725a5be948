-- +goose Up
-- The treatment plan lists dated actions by due date, then the undated ones. This index holds that order (the
-- expression must stay the one store.ListActions sorts by), so a page reads its rows instead of sorting the plan.
CREATE INDEX treatment_actions_plan ON treatment_actions(org_id, (CASE WHEN due = '' THEN 1 ELSE 0 END), due, ref);

-- +goose Down
DROP INDEX treatment_actions_plan;
