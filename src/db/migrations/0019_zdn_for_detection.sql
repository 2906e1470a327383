-- MISP's to_ids: whether an indicator is meant for detection. One that is not (context, a benign
-- address seen in the campaign) stays in its event, searchable and in the MISP feed with to_ids false,
-- but leaves the detection exports and TAXII.
ALTER TABLE zdn_indicators ADD COLUMN for_detection boolean NOT NULL DEFAULT true;
