-- Change detection reads the stored hash of every pulled id. Without this index each lookup
-- lands in the record's table row (a whole page, often with overflow pages for large
-- documents); with it, a page of 1,000 ids is answered from a few index pages.
CREATE INDEX records_hash ON records(connection_id, resource, id, hash);
