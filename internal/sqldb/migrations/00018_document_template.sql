-- +goose Up
-- The policy template a document was drafted from (its key; '' for a document written from scratch). The
-- risk assessment and treatment methodology is the organisation's document of template 'risk-methodology':
-- a change of the risk method drafts its next version.
ALTER TABLE documents ADD COLUMN template TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_template ON documents(org_id, template);

-- +goose Down
DROP INDEX documents_template;
ALTER TABLE documents DROP COLUMN template;
