-- +goose Up
-- The id a row had in the tool it was imported from (a legacy id column), kept so that people can find their
-- old numbers and so that an export carries them on.
ALTER TABLE risks ADD COLUMN external_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN external_ref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE assets DROP COLUMN external_ref;
ALTER TABLE risks DROP COLUMN external_ref;
