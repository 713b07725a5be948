-- +goose Up
-- Free-text notes on a person (training taken, access to review), kept with the staff register.
ALTER TABLE people ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE people DROP COLUMN notes;
