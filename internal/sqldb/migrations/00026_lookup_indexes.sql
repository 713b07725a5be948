-- +goose Up
-- A write resolves the owners and assets it names by reference, name or email with one query
-- (store.Tx.Resolve: ref IN (...) OR lower(name) IN (...)); without these indexes the name half read every asset or
-- person of the organisation on each write, which made creating a risk slower as the registers grew.
CREATE INDEX assets_lower_name ON assets(org_id, lower(name));
CREATE INDEX people_lower_name ON people(org_id, lower(name));
CREATE INDEX people_lower_email ON people(org_id, lower(email));
CREATE INDEX interested_parties_lower_name ON interested_parties(org_id, lower(name));
CREATE INDEX courses_lower_title ON courses(org_id, lower(title));

-- +goose Down
DROP INDEX courses_lower_title;
DROP INDEX interested_parties_lower_name;
DROP INDEX people_lower_email;
DROP INDEX people_lower_name;
DROP INDEX assets_lower_name;
