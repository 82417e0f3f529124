-- Keyset reads walk an index in order instead of sorting the whole table for each batch: the API's pages of
-- instruments by (first_day, id), the calendar's batches of dated events newest first by (date_text, instrument_id,
-- position).
CREATE INDEX instruments_listing ON instruments (first_day, id);
CREATE INDEX instrument_events_dated ON instrument_events (date_text, instrument_id, position);
