-- An indicator's owner is its event's owner (the organisation that shared the event). One foreign
-- key on the pair now says so, instead of one to the event and one to the organisation: the owner
-- cannot drift from the event's, and a bulk add runs one referential check per row fewer (each
-- costs several microseconds, and an event holds up to hundreds of thousands of indicators).
ALTER TABLE zdn_events ADD CONSTRAINT zdn_events_id_owner_key UNIQUE (id, owner_organisation_id);
ALTER TABLE zdn_indicators DROP CONSTRAINT zdn_indicators_event_id_fkey;
ALTER TABLE zdn_indicators DROP CONSTRAINT zdn_indicators_owner_organisation_id_fkey;
ALTER TABLE zdn_indicators ADD CONSTRAINT zdn_indicators_event_owner_fkey FOREIGN KEY (event_id, owner_organisation_id)
  REFERENCES zdn_events (id, owner_organisation_id) ON DELETE CASCADE ON UPDATE CASCADE;
