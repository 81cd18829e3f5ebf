-- Destination catalog: each attempt records the partner's answer in words, as the
-- destination type read it ("Amplitude says the API key is invalid"), or why the event
-- was skipped (a call type the partner does not take). State 'skipped' joins the
-- terminal states; it needs no schema change.
ALTER TABLE job_transitions ADD COLUMN explanation text;
